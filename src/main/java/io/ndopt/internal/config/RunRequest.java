package io.ndopt.internal.config;

import io.ndopt.device.Device;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the user asked a training run to be: the values given by the sources of a run (config
 * file, command line, {@code --run} spec, checkpoint), later sources overriding earlier ones, over
 * the defaults declared in {@link Keys}. {@code train.Experiment} turns a request into data, a model,
 * an optimizer and the loop's {@code train.TrainerOptions}. Construction validates the combination: an optimizer field
 * the chosen optimizer does not use, or any other setting that would have no effect, is an error
 * naming the setting and where it was given.
 *
 * @param given the values that were given (defaults are not stored; {@link #get} supplies them)
 * @param where where each given value came from
 */
public record RunRequest(Map<Setting<?>, Object> given, Map<Setting<?>, String> where) {
    public RunRequest {
        given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
        where = Collections.unmodifiableMap(new LinkedHashMap<>(where));
        validate(given, where);
    }

    public static RunRequest defaults() { return new RunRequest(Map.of(), Map.of()); }

    /** The settings of several layers, later ones winning. */
    public static RunRequest of(List<LayerSpec> layers) {
        Map<Setting<?>, Object> given = new LinkedHashMap<>();
        Map<Setting<?>, String> where = new LinkedHashMap<>();
        for (LayerSpec l : layers) {
            given.putAll(l.values());
            where.putAll(l.where());
        }
        return new RunRequest(given, where);
    }

    /** These settings with {@code overrides} (typed values by key name) on top; {@code source} names them in errors. */
    public RunRequest with(String source, Map<String, ?> overrides) {
        Map<String, Raw> raw = new LinkedHashMap<>();
        overrides.forEach((k, v) -> raw.put(k, Raw.typed(v, source)));
        return of(List.of(new LayerSpec(given, where), LayerSpec.bind(raw, Keys.all())));
    }

    /** The value of a key: given, or its default for this run's optimizer type (null if it has none). */
    public <T> T get(Setting<T> key) {
        Object v = given.get(key);
        return v != null ? key.cast(v) : key.defaultFor(optimizerType(given));
    }

    public boolean isGiven(Setting<?> key) { return given.containsKey(key); }

    /** The optimizer part of these settings (type and the fields that were given). */
    public OptimizerSpec optimizerSpec() {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (var e : given.entrySet()) if (e.getKey().isOptimizerField()) fields.put(e.getKey().name(), e.getValue());
        return new OptimizerSpec(get(Keys.OPTIMIZER), fields, where.getOrDefault(Keys.OPTIMIZER, "settings"));
    }

    /**
     * Every key that has a value and applies to this run's optimizer, as plain JSON/YAML data with
     * snake_case keys (metrics.json, checkpoints). Binding this map again gives equal settings.
     */
    public Map<String, Object> toMap() {
        String type = get(Keys.OPTIMIZER);
        Map<String, Object> m = new LinkedHashMap<>();
        boolean csv = get(Keys.DATA) != null;
        for (Setting<?> s : Keys.all()) {
            if (!s.appliesTo(type) || (csv ? s == Keys.DATASET : s == Keys.TASK || s == Keys.TARGET)) continue;
            if (s == Keys.ACTIVATION && hiddenSizes().length == 0) continue;    // no hidden layer to activate
            Object v = get(s);
            if (v != null) m.put(s.name(), plain(s, v));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static <T> Object plain(Setting<T> s, Object v) { return s.kind().plain((T) v); }

    public String data() { return get(Keys.DATA); }
    public String dtype() { return get(Keys.DTYPE); }
    public Device device() { return get(Keys.DEVICE); }
    public int epochs() { return get(Keys.EPOCHS); }
    public int batchSize() { return get(Keys.BATCH_SIZE); }
    public long seed() { return get(Keys.SEED); }
    public double valSplit() { return get(Keys.VAL_SPLIT); }
    public int patience() { return get(Keys.PATIENCE); }
    public long checkpointEvery() { return get(Keys.CHECKPOINT_EVERY); }
    public boolean classification() { return "classification".equals(get(Keys.TASK)); }
    /**
     * Dropout rate after each of the {@code layers} hidden layers: none when unset, one value for all,
     * or one per layer.
     */
    public double[] dropoutRates(int layers) {
        List<Double> d = get(Keys.DROPOUT);
        double[] r = new double[layers];
        if (d.isEmpty()) return r;
        if (layers == 0) throw new ConfigException("dropout " + d + " has no effect: the model has no hidden layers");
        if (d.size() != 1 && d.size() != layers) {
            throw new ConfigException("dropout needs one rate or one per hidden layer (" + layers + "), got " + d);
        }
        for (int i = 0; i < layers; i++) r[i] = d.get(d.size() == 1 ? 0 : i);
        return r;
    }

    public int[] hiddenSizes() { return get(Keys.HIDDEN).stream().mapToInt(Integer::intValue).toArray(); }

    private static String optimizerType(Map<Setting<?>, Object> given) {
        Object t = given.get(Keys.OPTIMIZER);
        return t != null ? (String) t : Keys.OPTIMIZER.defaultFor(null);
    }

    /**
     * Settings that would have no effect, and conflicting ones. Optimizer-field rules live in {@link OptimizerSpec}.
     */
    private static void validate(Map<Setting<?>, Object> given, Map<Setting<?>, String> where) {
        String type = optimizerType(given);
        for (var e : given.entrySet()) {
            Setting<?> s = e.getKey();
            if (!s.appliesTo(type)) {
                throw new ConfigException(where.get(s) + ": setting '" + s.name()
                        + "' has no effect with optimizer '" + type
                        + "' (it applies to " + String.join(", ", new TreeSet<>(s.optimizers())) + ")");
            }
        }
        boolean csv = given.containsKey(Keys.DATA);
        for (Setting<?> s : List.of(Keys.TARGET, Keys.TASK)) {
            if (!csv && given.containsKey(s)) {
                throw new ConfigException(where.get(s) + ": setting '" + s.name()
                        + "' has no effect without 'data' (a CSV file)");
            }
        }
        if (csv && given.containsKey(Keys.DATASET)) {
            throw new ConfigException(where.get(Keys.DATASET) + ": 'dataset' and 'data' (" + where.get(Keys.DATA)
                    + ") exclude each other");
        }
        if (given.containsKey(Keys.ACTIVATION) && given.get(Keys.HIDDEN) instanceof List<?> h && h.isEmpty()) {
            throw new ConfigException(where.get(Keys.ACTIVATION) + ": setting 'activation' has no effect with hidden "
                    + "none (" + where.get(Keys.HIDDEN) + "): a linear model has no hidden layer");
        }
        Object patience = given.get(Keys.PATIENCE), split = given.get(Keys.VAL_SPLIT);
        if (patience != null && (Integer) patience > 0 && split != null && (Double) split == 0) {
            throw new ConfigException(where.get(Keys.PATIENCE)
                    + ": setting 'patience' has no effect with val_split 0 (early stopping watches the validation "
                            + "loss)");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        Set<String> sources = new LinkedHashSet<>();
        given.forEach((k, v) -> {
            if (k.isOptimizerField() || k == Keys.OPTIMIZER) sources.add(where.get(k));
            if (k.isOptimizerField()) fields.put(k.name(), v);
        });
        // the optimizer's own no-effect rules
        new OptimizerSpec(type, fields, sources.isEmpty() ? "defaults" : String.join(", ", sources));
    }
}
