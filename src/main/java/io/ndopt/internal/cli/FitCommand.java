package io.ndopt.internal.cli;

import io.ndopt.backend.Precision;
import io.ndopt.device.Device;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.device.Gpu;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.Raw;
import io.ndopt.internal.conformance.LinearFit;
import io.ndopt.internal.conformance.LinearSpec;
import io.ndopt.internal.conformance.ResultWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the linear model of a conformance spec and writes the trajectory; everything is checked before the first step.
 */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Train the linear model of a conformance spec (SCHEMA.md) and write its trajectory as JSON.")
final class FitCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, description = "Spec file (JSON, conformance schema).")
    Path spec;

    @Option(names = "--out", required = true,
            description = "Result file (JSON, keys of the spec's 'expected' block); replaced atomically.")
    Path out;

    @Option(names = "--dtype", defaultValue = "float64",
            description = "float64 or float32 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--device", defaultValue = "cpu",
            description = "Where the optimizer runs: cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--nonfinite", description =
            "error, skip or propagate: a NaN/Inf gradient stops the fit, its step is skipped and counted, or it "
                    + "goes into the parameters unchecked, as in torch.optim, and is counted (overrides the spec's "
                    + "'nonfinite').")
    String nonfinite;

    @Override public Integer call() throws Exception {
        Precision precision;
        try {
            precision = Precision.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--dtype: " + e.getMessage());
        }
        Device where = Main.option("--device", () -> Device.parse(device));
        String unusable = Gpu.whyNot(where);                 // as train/compare/sweep/demo: before anything is read
        if (!unusable.isEmpty()) throw new ConfigException("--device " + where + ": " + unusable);
        if (Files.isDirectory(out)) {
            throw new ConfigException("--out " + out + " is a folder; fit writes one JSON file");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (Files.exists(parent) && !Files.isWritable(parent)) {
            throw new ConfigException("--out " + out + ": folder " + parent + " is not writable");
        }
        LinearSpec s = LinearSpec.read(spec);
        new Inputs().add("--spec", spec).add("spec's problem.csv", LinearSpec.csvFile(spec)).refuseSame("--out", out);
        if (nonfinite != null) {
            Map<String, Object> f = Map.of(Keys.NONFINITE.name(),
                    Keys.NONFINITE.bind(Raw.text(nonfinite, "--nonfinite")));
            LinearSpec c = s.contrast();
            s = new LinearSpec(s.x(), s.y(), s.w0(), s.b0(), s.outputs(), s.steps(), s.optimizer().withFields(f),
                    c == null ? null : new LinearSpec(c.x(), c.y(), c.w0(), c.b0(), c.outputs(), c.steps(),
                            c.optimizer().withFields(f), null));
        }
        // both optimizers are valid before the first step
        s.optimizer().toBuilder();
        if (s.contrast() != null) s.contrast().optimizer().toBuilder();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new ConfigException("--out " + out + ": cannot create the folder " + parent + " (" + e + ")");
        }
        try (FolderLock lock = FolderLock.acquire(parent.resolve("." + out.getFileName() + ".ndopt.lock"),
                "--out " + out)) {
            return fit(s, precision, where);
        }
    }

    private int fit(LinearSpec s, Precision precision, Device where) throws Exception {
        boolean scheduled = s.schedule() != null;
        LinearFit.Result fit = LinearFit.run(s, precision, where);
        Map<String, Object> result = ResultWriter.toMap(fit, scheduled);
        ResultWriter.addZeroGroups(result, s, fit);
        if (s.contrast() != null) {
            result.put("contrast", ResultWriter.toMap(LinearFit.run(s.contrast(), precision, where), scheduled));
        }
        ResultWriter.write(out, result);
        var r = (double[]) result.get("loss");
        System.out.printf("fit: %d steps, %s on %s, loss %.6g -> %.6g, %d exact zeros; wrote %s%n", s.steps(),
                precision.label(), where,
                r[0], r[r.length - 1], (Integer) result.get("final_zero_count"), out);
        return 0;
    }
}
