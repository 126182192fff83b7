package io.ndopt.internal.conformance;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Document;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.Kind;
import io.ndopt.internal.config.LayerSpec;
import io.ndopt.internal.config.OptimizerSpec;
import io.ndopt.internal.config.Raw;
import io.ndopt.internal.config.ScheduleSpec;
import io.ndopt.internal.config.Setting;
import io.ndopt.data.Csv;
import io.ndopt.data.DataFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A linear-regression training run as described by {@code src/test/resources/conformance/SCHEMA.md}: data
 * (inline {@code X}/{@code y}, or a CSV file), a start point (or a seed for a random one), an
 * optimizer, and the number of full-batch steps. The spec's {@code schedule},
 * {@code clip_global_norm}, {@code regularize_bias} and {@code nonfinite} are fields of the optimizer
 * (the same keys, checks and defaults as everywhere, {@link Keys}); they may sit at the top level,
 * as the schema writes them, or inside the optimizer object, not both.
 *
 * <p>Reading is strict: unknown keys (at the top level, in {@code problem}, in {@code contrast}) and
 * wrong types ({@code "steps": 1.5}, {@code "b0": "abc"}) are errors naming the key and line; the
 * schema's descriptive blocks ({@code expected}, {@code sensitivity}, ...) are known and skipped.
 * The trajectory a run returns is bounded: {@code (steps + 1)·(p + 1)·k} values at most {@link #MAX_TRAJECTORY}.
 *
 * <p>A multi-output problem ({@code "outputs": k} in {@code problem}) has {@code Y} n×k, {@code w0} p×k and
 * {@code b0} of k entries; a single-output one has {@code y}, {@code w0} of p entries and a scalar {@code b0}
 * (kept here as one column, with {@code outputs = 0}).
 *
 * @param y        n×k targets (k = 1 for a single-output problem)
 * @param w0       p×k start weights
 * @param b0       k start biases
 * @param outputs  k for a multi-output problem, 0 for the single-output form (w a vector, b a scalar)
 * @param contrast an optional second optimizer run on the same problem ({@code trajectory_pair})
 */
public record LinearSpec(double[][] x, double[][] y, double[][] w0, double[] b0, int outputs, int steps,
        OptimizerSpec optimizer, LinearSpec contrast) {
    /** Largest number of trajectory values (parameters × steps) a fit keeps and writes. */
    public static final long MAX_TRAJECTORY = 5_000_000;
    /** The spec schema this code reads; a spec naming another {@code schema_version} is refused. */
    public static final int SCHEMA_VERSION = 1;
    private static final Set<String> INPUTS = Set.of("problem", "optimizer", "steps", "contrast", "seed");
    private static final Set<String> DESCRIPTIVE =
            Set.of("case", "cases", "check", "cross_check_max_abs_dev", "description", "expected", "fits", "generator",
            "kind", "lipschitz_mse", "loss_definition", "note", "numerics", "objectives", "ols", "rule",
            "schema_version", "sensitivity", "source");
    private static final Set<String> PROBLEM = Set.of("X", "y", "Y", "outputs", "csv", "target", "seed", "w0", "b0", "n", "p");
    private static final Set<String> CONTRAST = Set.of("optimizer", "expected", "numerics", "description");

    public LinearSpec {
        if (steps < 0) throw new ConfigException("steps must be >= 0, got " + steps);
        if (x.length == 0 || x.length != y.length) {
            throw new ConfigException("problem: X has " + x.length + " rows but y has " + y.length);
        }
        if (w0.length != x[0].length) {
            throw new ConfigException("problem: w0 has " + w0.length + " rows but X has "
                    + x[0].length + " columns");
        }
        int k = b0.length;
        if (outputs < 0 || (outputs == 0 ? k != 1 : k != outputs)) {
            throw new ConfigException("problem: b0 has " + k + " entries but outputs is " + outputs);
        }
        for (double[] row : y) {
            if (row.length != k) throw new ConfigException("problem: a row of Y has " + row.length + " values, expected " + k);
        }
        for (double[] row : w0) {
            if (row.length != k) throw new ConfigException("problem: a row of w0 has " + row.length + " values, expected " + k);
        }
        long values = (steps + 1L) * (w0.length + 1L) * k;
        if (values > MAX_TRAJECTORY) {
            throw new ConfigException("steps " + steps + " × " + (w0.length + 1) * k + " parameters = " + values
                    + " trajectory values, above the limit "
                    + MAX_TRAJECTORY + " (the result holds the whole trajectory); lower steps");
        }
    }

    /** A single-output problem: {@code y} of n entries, {@code w0} of p, a scalar {@code b0}. */
    public LinearSpec(double[][] x, double[] y, double[] w0, double b0, int steps, OptimizerSpec optimizer,
            LinearSpec contrast) {
        this(x, column(y), column(w0), new double[] {b0}, 0, steps, optimizer, contrast);
    }

    private static double[][] column(double[] v) {
        double[][] m = new double[v.length][];
        for (int i = 0; i < v.length; i++) m[i] = new double[] {v[i]};
        return m;
    }

    /** The spec in the schema's older shape: schedule, clipping and bias regularization beside the optimizer. */
    public LinearSpec(double[][] x, double[] y, double[] w0, double b0, int steps, OptimizerSpec optimizer,
            ScheduleSpec schedule,
                      double clipGlobalNorm, boolean regularizeBias, LinearSpec contrast) {
        this(x, y, w0, b0, steps, withExtras(optimizer, schedule, clipGlobalNorm, regularizeBias), contrast);
    }

    private static OptimizerSpec withExtras(OptimizerSpec o, ScheduleSpec schedule, double clip, boolean regBias) {
        Map<String, Object> more = new LinkedHashMap<>();
        if (schedule != null) more.put(Keys.SCHEDULE.name(), schedule.toMap());
        if (clip != 0) more.put(Keys.CLIP_NORM.name(), clip);
        if (regBias) more.put(Keys.DECAY_BIAS.name(), true);
        return more.isEmpty() ? o : o.withFields(more);
    }

    public int n() { return y.length; }
    public int p() { return w0.length; }
    /** Number of output columns k (1 for a single-output problem). */
    public int k() { return b0.length; }

    /** The schedule of the optimizer, or null. */
    public ScheduleSpec schedule() { return optimizer.get(Keys.SCHEDULE); }

    public LinearSpec withOptimizer(OptimizerSpec o, int newSteps) {
        return new LinearSpec(x, y, w0, b0, outputs, newSteps, o, null);
    }

    /** The CSV file a spec file names ({@code problem.csv}, resolved against the spec's folder), or null. */
    public static Path csvFile(Path file) {
        Object p = Document.read(file).root().get("problem");
        Object csv = p instanceof Map<?, ?> m ? m.get("csv") : null;
        return csv instanceof String c ? file.toAbsolutePath().getParent().resolve(c) : null;
    }

    /** Reads a spec file; CSV paths inside it are resolved against the spec's folder. */
    public static LinearSpec read(Path file) {
        Document doc = Document.read(file);
        Map<String, Object> root = doc.root();
        Map<String, Raw> shared = new LinkedHashMap<>();
        for (var e : root.entrySet()) {
            String k = e.getKey();
            var s = Keys.byName(k);
            if (s != null && s.isOptimizerField()) shared.put(k, Raw.typed(e.getValue(), doc.where(k)));
            else if (!INPUTS.contains(k) && !DESCRIPTIVE.contains(k)) {
                throw new ConfigException(doc.where(k) + ": unknown key '" + k
                        + "' (inputs: problem, optimizer, steps, seed, contrast, "
                        + String.join(", ", Keys.optimizerFields().stream().map(f -> f.name()).sorted().toList())
                        + ")");
            }
        }
        if (root.containsKey("schema_version") && !(root.get("schema_version") instanceof Long)) {
            Object v = root.get("schema_version");
            throw new ConfigException(doc.where("schema_version") + ": schema_version must be an integer, got "
                    + (v instanceof String ? "'" + v + "' (a string)" : String.valueOf(v)));
        }
        if (root.containsKey("schema_version") && !Long.valueOf(SCHEMA_VERSION).equals(root.get("schema_version"))) {
            throw new ConfigException(doc.where("schema_version") + ": schema_version " + root.get("schema_version")
                    + " is not supported (this ndopt reads schema_version " + SCHEMA_VERSION + ")");
        }
        Map<String, Object> problem = object(doc, root, "problem", PROBLEM);
        double[][] x;
        double[][] y;
        int outputs = problem.containsKey("outputs") ? typed(doc, "problem.outputs", Kind.INT, problem.get("outputs")) : 0;
        if (problem.containsKey("outputs") && outputs < 1) {
            throw new ConfigException(doc.where("problem.outputs") + ": problem.outputs must be >= 1, got " + outputs);
        }
        String other = outputs > 0 ? "y" : "Y";
        if (problem.containsKey(other)) {
            throw new ConfigException(doc.where("problem." + other) + ": problem." + other + " is for "
                    + (outputs > 0 ? "a single-output problem; this one has outputs, give Y (n×k)"
                            : "a multi-output problem; give 'outputs' too, or y for one output"));
        }
        if (problem.containsKey("csv")) {
            if (outputs > 0) throw new ConfigException(doc.where("problem.csv") + ": 'csv' takes one target column, "
                    + "not outputs");
            for (String k : List.of("X", "y")) {
                if (problem.containsKey(k)) {
                    throw new ConfigException(doc.where("problem." + k) + ": problem has both 'csv' and '" + k + "'");
                }
            }
            String target = problem.containsKey("target") ? Kind.STRING.fromTyped(problem.get("target")) : null;
            Csv.Table t = DataFiles.read(doc.resolve(typed(doc, "problem.csv", Kind.STRING, problem.get("csv"))), target);
            x = t.x();
            y = column(t.y());
        } else {
            if (problem.containsKey("target")) {
                throw new ConfigException(doc.where("problem.target") + ": 'target' needs 'csv'");
            }
            x = matrix(doc, "problem.X", require(doc, problem, "problem", "X"));
            y = outputs > 0 ? matrix(doc, "problem.Y", require(doc, problem, "problem", "Y"))
                    : column(vector(doc, "problem.y", require(doc, problem, "problem", "y")));
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != x[0].length) {
                throw new ConfigException(doc.where("problem.X") + ": problem.X row " + i + " has " + x[i].length
                        + " values, row 0 has " + x[0].length);
            }
        }
        int p = x.length == 0 ? 0 : x[0].length;
        checkDim(doc, problem, "n", x.length);
        checkDim(doc, problem, "p", p);
        boolean seeded = problem.containsKey("seed") || root.containsKey("seed");
        if (seeded && problem.containsKey("w0") && problem.containsKey("b0")) {
            throw new ConfigException(doc.where(problem.containsKey("seed") ? "problem.seed" : "seed")
                    + ": 'seed' has no effect: problem.w0 and problem.b0 give the whole start point (drop one or the other)");
        }
        long seed = problem.containsKey("seed") ? typed(doc, "problem.seed", Kind.LONG, problem.get("seed"))
                : root.containsKey("seed") ? typed(doc, "seed", Kind.LONG, root.get("seed")) : 0;
        SplittableRandom rng = new SplittableRandom(seed);
        double bound = 1 / Math.sqrt(Math.max(p, 1));   // PyTorch nn.Linear's default init range
        int k = Math.max(outputs, 1);
        double[][] w0;
        double[] b0;
        if (outputs > 0) {
            w0 = problem.containsKey("w0") ? matrix(doc, "problem.w0", problem.get("w0")) : random(rng, p, k, bound);
            b0 = problem.containsKey("b0") ? vector(doc, "problem.b0", problem.get("b0"))
                    : rng.doubles(k, -bound, bound).toArray();
        } else {
            w0 = column(problem.containsKey("w0") ? vector(doc, "problem.w0", problem.get("w0"))
                    : rng.doubles(p, -bound, bound).toArray());
            b0 = new double[] {problem.containsKey("b0") ? typed(doc, "problem.b0", Kind.DOUBLE, problem.get("b0"))
                    : rng.nextDouble(-bound, bound)};
        }
        int steps = typed(doc, "steps", Kind.INT, require(doc, root, "spec", "steps"));
        OptimizerSpec opt = optimizer(doc, "optimizer", require(doc, root, "spec", "optimizer"), shared);
        LinearSpec contrast = null;
        if (root.containsKey("contrast")) {
            Map<String, Object> c = object(doc, root, "contrast", CONTRAST);
            contrast = new LinearSpec(x, y, w0, b0, outputs, steps,
                    optimizer(doc, "contrast.optimizer", require(doc, c, "contrast", "optimizer"), shared), null);
        }
        return new LinearSpec(x, y, w0, b0, outputs, steps, opt, contrast);
    }

    private static OptimizerSpec optimizer(Document doc, String path, Object value, Map<String, Raw> shared) {
        value = muonAux(doc, path, adafactorEps(doc, path, value));
        Map<String, Raw> raw = new LinkedHashMap<>(shared);
        raw.put("optimizer", Raw.typed(value, doc.where(path)));
        var layer = LayerSpec.bind(raw, allowed());
        Map<String, Object> fields = new LinkedHashMap<>();
        layer.values().forEach((k, v) -> { if (k != Keys.OPTIMIZER) fields.put(k.name(),
                k.kind() == Kind.SCHEDULE ? ((ScheduleSpec) v).toMap() : v); });
        return new OptimizerSpec((String) layer.values().get(Keys.OPTIMIZER), fields, doc.where(path));
    }

    /**
     * The schema writes Adafactor's epsilons as PyTorch does, {@code "eps": [eps1 or null, eps2]}; ndopt's fields are
     * {@code eps1} (absent: the dtype's machine epsilon) and {@code eps2}.
     */
    @SuppressWarnings("unchecked")
    private static Object adafactorEps(Document doc, String path, Object value) {
        if (!(value instanceof Map<?, ?> m) || !"adafactor".equals(m.get("type")) || !(m.get("eps") instanceof List<?> l)) {
            return value;
        }
        if (l.size() != 2 || l.get(1) == null) {
            throw new ConfigException(doc.where(path + ".eps") + ": adafactor's eps is [eps1 or null, eps2], got " + l);
        }
        Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) m);
        out.remove("eps");
        if (l.get(0) != null) out.put("eps1", l.get(0));
        out.put("eps2", l.get(1));
        return out;
    }

    private static final Map<String, String> AUX = Map.of("lr", "aux_lr", "betas", "aux_betas", "eps", "aux_eps",
            "weight_decay", "aux_weight_decay", "amsgrad", "aux_amsgrad");

    /**
     * The schema writes Muon's auxiliary rule as a nested {@code "aux": {"type": "adamw", …}} block; ndopt's fields
     * are {@code aux_lr}, {@code aux_betas}, {@code aux_eps}, {@code aux_weight_decay}, {@code aux_amsgrad}. In a fit
     * the one weight matrix is Muon's ({@code muon_params: weights} unless given).
     */
    @SuppressWarnings("unchecked")
    private static Object muonAux(Document doc, String path, Object value) {
        if (!(value instanceof Map<?, ?> m) || !"muon".equals(m.get("type"))) return value;
        Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) m);
        out.putIfAbsent("muon_params", "weights");
        Object aux = out.remove("aux");
        if (aux == null) return out;
        if (!(aux instanceof Map<?, ?> a) || !"adamw".equals(a.get("type"))) {
            throw new ConfigException(doc.where(path + ".aux") + ": muon's aux must be an object with \"type\": \"adamw\"");
        }
        for (var e : ((Map<String, Object>) a).entrySet()) {
            if (e.getKey().equals("type")) continue;
            String key = AUX.get(e.getKey());
            if (key == null) {
                throw new ConfigException(doc.where(path + ".aux." + e.getKey()) + ": unknown key 'aux." + e.getKey()
                        + "' (valid: " + String.join(", ", new TreeSet<>(AUX.keySet())) + ", type)");
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    private static List<Setting<?>> allowed() {
        List<Setting<?>> l = new ArrayList<>(Keys.optimizerFields());
        l.add(Keys.OPTIMIZER);
        return l;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Document doc, Map<String, Object> parent, String key, Set<String> known) {
        Object v = parent.get(key);
        if (!(v instanceof Map)) {
            throw new ConfigException(doc.where(key) + ": '" + key + "' must be an object"
                    + (v == null ? " (missing)" : ""));
        }
        Map<String, Object> m = (Map<String, Object>) v;
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw new ConfigException(doc.where(key + "." + k) + ": unknown key '" + key + "." + k + "' (valid: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return m;
    }

    private static Object require(Document doc, Map<String, Object> m, String what, String key) {
        Object v = m.get(key);
        if (v == null) throw new ConfigException(doc.file() + ": " + what + " is missing key '" + key + "'");
        return v;
    }

    private static void checkDim(Document doc, Map<String, Object> problem, String key, int actual) {
        if (problem.containsKey(key) && typed(doc, "problem." + key, Kind.INT, problem.get(key)) != actual) {
            throw new ConfigException(doc.where("problem." + key) + ": problem." + key + " is " + problem.get(key)
                    + " but the data has " + actual);
        }
    }

    private static <T> T typed(Document doc, String path, Kind<T> kind, Object v) {
        try {
            return kind.fromTyped(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(doc.where(path) + ": '" + path + "' " + e.getMessage());
        }
    }

    private static double[] vector(Document doc, String path, Object v) {
        if (!(v instanceof List<?> l)) {
            throw new ConfigException(doc.where(path) + ": '" + path + "' must be a list of numbers");
        }
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = typed(doc, path + "[" + i + "]", Kind.DOUBLE, l.get(i));
        return out;
    }

    private static double[][] random(SplittableRandom rng, int rows, int cols, double bound) {
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) m[i] = rng.doubles(cols, -bound, bound).toArray();
        return m;
    }

    private static double[][] matrix(Document doc, String path, Object v) {
        if (!(v instanceof List<?> l) || l.isEmpty()) {
            throw new ConfigException(doc.where(path) + ": '" + path + "' must be a non-empty list of rows");
        }
        double[][] out = new double[l.size()][];
        for (int i = 0; i < out.length; i++) out[i] = vector(doc, path + "[" + i + "]", l.get(i));
        return out;
    }
}
