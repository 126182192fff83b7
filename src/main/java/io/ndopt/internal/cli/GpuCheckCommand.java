package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.device.Device;
import io.ndopt.internal.gpusuite.CheckResult;
import io.ndopt.internal.gpusuite.GpuCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the GPU suite (every rule × dtype vs the CPU, conformance through fit, determinism, non-finite steps,
 * state round trips).
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description =
                "Run the GPU suite on one device against the CPU and write gpu-check.json; exit 1 if any check fails "
                        + "or no GPU can run.")
final class GpuCheckCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Folder for gpu-check.json (created).")
    Path out;

    @Option(names = "--device", defaultValue = "cuda:0",
            description = "cuda, cuda:N, or cpu to self-test the suite (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--cases", description =
            "Conformance cases folder (e.g. src/test/resources/conformance); without it those checks are skipped.")
    Path cases;

    @Override public Integer call() throws Exception {
        Device d = Main.option("--device", () -> Device.parse(device));
        if (cases != null && !Files.isDirectory(cases)) {
            throw new ConfigException("--cases: no folder " + cases);
        }
        GpuCheck.Report r;
        try {
            r = GpuCheck.run(d, cases, c -> {
                System.out.println(GpuCheck.line(c));
                System.out.flush();
            });
        } catch (IllegalStateException e) {
            System.err.println("ndopt gpu-check: " + e.getMessage());
            return Main.EXIT_RUNTIME;
        }
        Path file = GpuCheck.write(r, out);
        System.out.printf("gpu-check on %s: %d passed, %d failed, %d skipped; wrote %s%n", r.device(),
                r.count(CheckResult.Status.PASS), r.count(CheckResult.Status.FAIL),
                r.count(CheckResult.Status.SKIP), file);
        return r.passed() ? 0 : Main.EXIT_RUNTIME;
    }
}
