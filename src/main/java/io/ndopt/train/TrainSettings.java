package io.ndopt.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a training run is configured by, resolved from defaults ← a config file (JSON or YAML,
 * snake_case keys) ← command-line options. Unknown keys are errors that name the key.
 * {@code group_lasso} is {@code λ[:rows|cols]}; {@code penalty_schedule} is
 * {@code PENALTY=SCHEDULE[;PENALTY=SCHEDULE…]}, e.g. {@code group_lasso=linear_warmup:warmup=200}.
 */
public record TrainSettings(
        String data, String target, String task, String dataset,
        String hidden, String activation, String loss,
        String optimizer, Double lr, Double momentum, Double dampening, Boolean nesterov, String betas, Double eps,
        Boolean amsgrad, Double weightDecay, String decayMode, Double l1, Double l2, Boolean decayBias,
        String schedule, Double clipNorm,
        Integer epochs, Integer batchSize, Long seed, Double valSplit, Integer patience, String dtype,
        Long checkpointEvery, String groupLasso, String penaltySchedule) {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The defaults every run starts from. */
    public static TrainSettings defaults() {
        return new TrainSettings(null, null, null, "moons", "64,64", "relu", null, "adamw", 1e-3, 0.0, 0.0, false,
                "0.9,0.999", 1e-8, false, null, null, 0.0, 0.0, false, "constant", 0.0,
                20, 32, 42L, 0.2, 0, "float32", 0L, null, null);
    }

    /** Settings as a snake_case map (nulls dropped), e.g. for metrics.json. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toMap() {
        Map<String, Object> m = MAPPER.convertValue(this, LinkedHashMap.class);
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    /** This, with every non-null entry of {@code overrides} (snake_case keys) on top. */
    public TrainSettings with(Map<String, ?> overrides) {
        Map<String, Object> merged = toMap();
        overrides.forEach((k, v) -> { if (v != null) merged.put(k, v); });
        try {
            return MAPPER.convertValue(merged, TrainSettings.class);
        } catch (IllegalArgumentException e) {
            Throwable c = e.getCause();
            if (c instanceof UnrecognizedPropertyException u) {
                throw new IllegalArgumentException("unknown setting '" + u.getPropertyName() + "' (valid: "
                        + String.join(", ", new java.util.TreeSet<>(defaults().toMap().keySet())) + ", data, target, task, loss, weight_decay, decay_mode, group_lasso, penalty_schedule)");
            }
            throw new IllegalArgumentException("bad setting: " + (c == null ? e.getMessage() : c.getMessage().split("\n")[0]));
        }
    }

    /** Reads a JSON or YAML config file into a snake_case map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readFile(Path file) {
        try {
            Object o = YAML.readValue(file.toFile(), Object.class);
            if (!(o instanceof Map)) throw new IllegalArgumentException(file + ": config must be a mapping of settings");
            return (Map<String, Object>) o;
        } catch (IOException e) {
            throw new io.ndopt.data.DataFormatException(file.toString(), 0, null, "cannot read config: " + e.getMessage().split("\n")[0]);
        }
    }

    public int[] hiddenSizes() {
        if (hidden == null || hidden.isBlank() || hidden.equals("none")) return new int[0];
        try {
            int[] h = java.util.Arrays.stream(hidden.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            for (int v : h) if (v <= 0) throw new NumberFormatException();
            return h;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--hidden must be comma-separated positive sizes like 64,64, got '" + hidden + "'");
        }
    }

    public double[] betaPair() {
        String[] p = betas.split("[,/]");
        if (p.length != 2) throw new IllegalArgumentException("--betas must be two numbers like 0.9,0.999, got '" + betas + "'");
        try {
            return new double[] {Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim())};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--betas must be two numbers like 0.9,0.999, got '" + betas + "'");
        }
    }
}
