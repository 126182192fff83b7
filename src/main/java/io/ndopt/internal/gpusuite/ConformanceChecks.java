package io.ndopt.internal.gpusuite;

import io.ndopt.backend.Precision;
import io.ndopt.device.Device;
import io.ndopt.internal.conformance.LinearFit;
import io.ndopt.internal.conformance.LinearSpec;
import io.ndopt.internal.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The public conformance cases through {@code fit} ({@link LinearFit}) on the device vs on the CPU,
 * float64 and float32.
 */
final class ConformanceChecks {
    private ConformanceChecks() {}

    static List<CheckResult> run(Path casesDir, Device device) {
        List<CheckResult> out = new ArrayList<>();
        for (Path file : cases(casesDir)) {
            for (Precision p : List.of(Precision.parse("float64"), Precision.parse("float32"))) {
                String name = "conformance/" + file.getFileName().toString().replace(".json", "") + "/" + p.label();
                out.add(Checks.guard(name, () -> {
                    LinearSpec spec = LinearSpec.read(file);
                    Tolerance tol = Tolerance.of(p.label().equals("float32"));
                    Tolerance.Comparison c = compare(LinearFit.run(spec, p, device),
                            LinearFit.run(spec, p, Device.cpu()), tol);
                    if (spec.contrast() != null) {
                        c = c.merge(compare(LinearFit.run(spec.contrast(), p, device),
                                LinearFit.run(spec.contrast(), p, Device.cpu()), tol));
                    }
                    return CheckResult.of(name, c, spec.steps()
                            + " steps through fit: w, b and loss after every step vs the CPU");
                }));
            }
        }
        return out;
    }

    private static Tolerance.Comparison compare(LinearFit.Result a, LinearFit.Result e, Tolerance tol) {
        Tolerance.Comparison c = tol.compare(a.loss(), e.loss());
        for (int i = 0; i < a.wTraj().size(); i++) {
            c = c.merge(tol.compare(a.wTraj().get(i), e.wTraj().get(i))).merge(tol.compare(a.bTraj().get(i), e.bTraj().get(i)));
        }
        return a.skippedSteps() == e.skippedSteps() ? c : c.merge(new Tolerance.Comparison(false, 0, 0, 1, 0, 1, -1));
    }

    /** The trajectory cases of a conformance folder (files whose "kind" starts with "trajectory"), sorted. */
    static List<Path> cases(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().filter(f -> {
                try {
                    return Json.PLAIN.readTree(f.toFile()).path("kind").asText().startsWith("trajectory");
                } catch (IOException e) {
                    throw new UncheckedIOException("reading conformance case " + f, e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing conformance cases in " + dir, e);
        }
    }
}
