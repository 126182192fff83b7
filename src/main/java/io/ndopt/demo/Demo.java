package io.ndopt.demo;

import io.ndopt.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demos of regularized training. Each writes {@code DIR/result.json} (the fields named in its
 * class doc) and its PNG plots into DIR, and returns the result map.
 */
public final class Demo {
    public static final List<String> NAMES = List.of("overfit", "sparse", "adamw", "lambda-cv", "prune");

    private Demo() {}

    public static Map<String, Object> run(String name, Path dir, long seed) throws IOException {
        Map<String, Object> result = switch (name) {
            case "overfit" -> OverfitDemo.run(dir, seed);
            case "sparse" -> SparseDemo.run(dir, seed);
            case "adamw" -> AdamwDemo.run(dir, seed);
            case "lambda-cv" -> LambdaCvDemo.run(dir, seed);
            case "prune" -> PruneDemo.run(dir, seed);
            default -> throw new IllegalArgumentException("unknown demo '" + name + "' (valid: "
                    + String.join(", ", NAMES) + ")");
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("demo", name);
        out.put("seed", seed);
        out.putAll(result);
        Json.writePlain(dir.resolve("result.json"), out);
        return out;
    }
}
