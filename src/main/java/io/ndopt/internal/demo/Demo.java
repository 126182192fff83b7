package io.ndopt.internal.demo;

import io.ndopt.device.Device;
import io.ndopt.internal.io.Json;
import io.ndopt.internal.plot.Plots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demos of regularized training. Each writes {@code DIR/result.json} (the fields named in its
 * class doc, plus {@code demo}, {@code seed} and {@code device}) and its PNG plots into DIR, and
 * returns the result map. Every optimizer of a demo runs on the device given (the same seeds on any
 * device, so the results agree within float tolerance); the caller checks that the device is usable.
 */
public final class Demo {
    public static final List<String> NAMES = List.of("overfit", "sparse", "adamw", "lambda-cv", "prune", "optimizers");

    private Demo() {}

    /** The demo on the CPU. */
    public static Map<String, Object> run(String name, Path dir, long seed) throws IOException {
        return run(name, dir, seed, Device.cpu());
    }

    public static Map<String, Object> run(String name, Path dir, long seed, Device device) throws IOException {
        Map<String, Object> result = switch (name) {
            case "overfit" -> OverfitDemo.run(dir, seed, device);
            case "sparse" -> SparseDemo.run(dir, seed, device);
            case "adamw" -> AdamwDemo.run(dir, seed, device);
            case "lambda-cv" -> LambdaCvDemo.run(dir, seed, device);
            case "prune" -> PruneDemo.run(dir, seed, device);
            case "optimizers" -> OptimizersDemo.run(dir, seed, device);
            default -> throw new IllegalArgumentException("unknown demo '" + name + "' (valid: "
                    + String.join(", ", NAMES) + ")");
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("demo", name);
        out.put("seed", seed);
        out.put("device", device.toString());
        out.putAll(result);
        if (Plots.unavailableReason() != null) out.put("plots_not_drawn", Plots.unavailableReason());
        Json.writePlain(dir.resolve("result.json"), out);
        return out;
    }
}
