package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.device.Device;
import io.ndopt.internal.device.Gpu;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.gpusuite.GpuBench;
import io.ndopt.internal.gpusuite.GpuCheck;
import io.ndopt.internal.gpusuite.GpuMlpBench;
import io.ndopt.internal.io.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times ndopt's fused GPU steps and a device copy; benchmarks/gpu/torch_bench.py adds PyTorch and
 * writes the comparison.
 */
@Command(name = "gpu-bench", mixinStandardHelpOptions = true,
        description =
                "Time AdamW, SGD+L2 and AdamW+L1 on the GPU (float32): the whole opt.step() (wall and events), the "
                        + "fused kernel alone (events), a device copy; write gpu-bench-ndopt.json.")
final class GpuBenchCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Folder for gpu-bench-ndopt.json (created).")
    Path out;

    @Option(names = "--device", defaultValue = "cuda:0", description = "cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--sizes", defaultValue = "10000000,100000000", split = ",",
            description = "Parameter counts (default: ${DEFAULT-VALUE}).")
    List<Long> sizes;

    @Option(names = "--reps", defaultValue = "50",
            description = "Timed repetitions per measurement (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "10",
            description = "Untimed repetitions first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--mlp", defaultValue = "small,large,large4096", split = ",",
            description = "MLP training-step sizes to time too (small, large, large4096; 'none' for none; default: "
                    + "${DEFAULT-VALUE}); the large ones also in bf16 and fp16; written to gpu-mlp-ndopt.json.")
    List<String> mlp;

    @Override public Integer call() throws Exception {
        if (reps < 1 || warmup < 0) {
            throw new ConfigException("--reps must be >= 1 and --warmup >= 0, got " + reps + ", " + warmup);
        }
        for (long n : sizes) {
            if (n < 1 || n > Integer.MAX_VALUE) throw new ConfigException("--sizes: " + n + " is not in [1, 2^31)");
        }
        Device d = Main.option("--device", () -> Device.parse(device));
        List<String> shapes = mlp.equals(List.of("none")) ? List.of() : mlp;
        shapes.forEach(s -> Main.option("--mlp", () -> GpuMlpBench.shape(s)));   // unknown names fail before any timing
        try (DeviceUpdater keep = d.isCuda() && Gpu.whyNot(d).isEmpty() ? GpuCheck.keepOpen(d) : null) {
            return measure(d, shapes);
        } catch (IllegalStateException e) {
            System.err.println("ndopt gpu-bench: " + e.getMessage());
            return Main.EXIT_RUNTIME;
        }
    }

    private int measure(Device d, List<String> shapes) throws Exception {
        List<GpuBench.Row> rows = GpuBench.run(d, sizes.stream().mapToLong(Long::longValue).toArray(), warmup, reps);
        for (GpuBench.Row r : rows) {
            System.out.printf(Locale.ROOT, "%-9s n=%-10d %-22s %-6s %-6s median %8.4f ms  min %8.4f ms  %7.1f GB/s%n",
                    r.config(), r.n(), r.impl(), r.kind(), r.timer(), r.medianMs(), r.minMs(), r.gbPerS());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("device", Gpu.engine().devices().get(d.ordinal()).describe());
        json.put("compiler", Gpu.engine().compiler());
        json.put("jdk", Runtime.version().toString());
        json.put("warmup", warmup);
        json.put("rows", rows);
        Path file = out.resolve("gpu-bench-ndopt.json");
        Json.writePlain(file, json);
        System.out.println("wrote " + file);
        if (shapes.isEmpty()) return 0;
        int mlpWarmup = Math.max(warmup, 20), mlpReps = Math.max(reps, 100);
        List<GpuMlpBench.Row> mlpRows = GpuMlpBench.run(d, shapes, mlpWarmup, mlpReps);
        for (GpuMlpBench.Row r : mlpRows) {
            System.out.printf(Locale.ROOT, "mlp %-6s %-16s median %8.4f ms  min %8.4f ms  wall %8.4f ms/step%n",
                    r.config(), r.impl(), r.medianMs(), r.minMs(), r.wallMsPerStep());
        }
        Map<String, Object> mj = new LinkedHashMap<>(json);
        mj.put("warmup", mlpWarmup);
        mj.put("rows", mlpRows);
        Path mfile = out.resolve("gpu-mlp-ndopt.json");
        Json.write(mfile, mj);                                     // snake_case rows, as torch_mlp_bench.py reads them
        System.out.println("wrote " + mfile);
        return 0;
    }
}
