package io.ndopt.optim;

import io.ndopt.schedule.ScheduleSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An optimizer described by name and fields, as in conformance specs, config files and the CLI's
 * {@code --run adamw:lr=1e-3,wd=1e-2}. Types: {@code sgd}, {@code adam}, {@code adamw},
 * {@code prox_sgd} (plain SGD with proximal L1 and L2, i.e. ISTA / elastic net). Every type accepts
 * {@code group_lasso} ({@link io.ndopt.regularize.GroupLassoSpec}), applied after the L1 prox. Any field a type
 * does not know is an error, never silently ignored.
 */
public record OptimizerSpec(String type, Map<String, Object> fields) {
    private static final Set<String> COMMON = Set.of("type", "lr", "l1", "l2", "maximize", "decay_mode", "group_lasso");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "sgd", Set.of("momentum", "dampening", "nesterov", "weight_decay"),
            "adam", Set.of("betas", "eps", "weight_decay", "amsgrad"),
            "adamw", Set.of("betas", "eps", "weight_decay", "amsgrad"),
            "prox_sgd", Set.of());
    private static final Map<String, String> ALIASES = Map.of("wd", "weight_decay", "beta1", "beta1", "beta2", "beta2");

    public OptimizerSpec {
        type = type == null ? null : type.toLowerCase(Locale.ROOT);
        if (type == null || !FIELDS.containsKey(type)) {
            throw new IllegalArgumentException("optimizer: unknown type '" + type + "' (valid: adam, adamw, prox_sgd, sgd)");
        }
        fields = Map.copyOf(fields);
        for (String k : fields.keySet()) {
            if (!COMMON.contains(k) && !FIELDS.get(type).contains(k) && !(k.startsWith("beta") && type.startsWith("adam"))) {
                throw new IllegalArgumentException("optimizer: unknown field '" + k + "' for type '" + type + "' (valid: "
                        + String.join(", ", new java.util.TreeSet<>(union(type))) + ")");
            }
        }
    }

    private static Set<String> union(String type) {
        var s = new java.util.HashSet<>(COMMON);
        s.addAll(FIELDS.get(type));
        return s;
    }

    /** From a JSON/YAML object: {@code {"type": "adamw", "lr": 0.05, ...}}. */
    @SuppressWarnings("unchecked")
    public static OptimizerSpec fromMap(Map<String, ?> m) {
        Object type = m.get("type");
        if (type == null) throw new IllegalArgumentException("optimizer: missing field 'type'");
        return new OptimizerSpec(type.toString(), (Map<String, Object>) m);
    }

    /** From the CLI form {@code adamw:lr=1e-3,wd=1e-2,betas=0.9/0.999}. */
    public static OptimizerSpec parse(String compact) {
        Map<String, Object> fields = new LinkedHashMap<>();
        io.ndopt.io.CompactSpec.parse(compact, "optimizer").forEach((k, v) -> {
            String key = ALIASES.getOrDefault(k, k);
            fields.put(key, key.equals("betas") ? List.of(v.toString().split("/")) : v);
        });
        return fromMap(fields);
    }

    /** A builder configured from this spec, with {@code schedule} (may be null) as its learning rate. */
    public OptimizerBuilder toBuilder(ScheduleSpec schedule) {
        double lr = num("lr", Double.NaN);
        if (Double.isNaN(lr)) throw new IllegalArgumentException("optimizer: missing field 'lr'");
        OptimizerBuilder b = switch (type) {
            case "sgd", "prox_sgd" -> Optimizer.sgd(lr);
            case "adam" -> Optimizer.adam(lr);
            default -> Optimizer.adamw(lr);
        };
        if (type.equals("sgd")) {
            b.momentum(num("momentum", 0)).dampening(num("dampening", 0)).nesterov(bool("nesterov", false));
        }
        if (type.startsWith("adam")) {
            double b1 = num("beta1", 0.9), b2 = num("beta2", 0.999);
            if (fields.get("betas") instanceof List<?> betas) {
                if (betas.size() != 2) throw new IllegalArgumentException("optimizer: field 'betas' must have two values, got " + betas);
                b1 = toDouble("betas", betas.get(0));
                b2 = toDouble("betas", betas.get(1));
            }
            b.betas(b1, b2).eps(num("eps", 1e-8)).amsgrad(bool("amsgrad", false));
        }
        if (fields.containsKey("weight_decay")) b.weightDecay(num("weight_decay", 0));
        if (fields.containsKey("decay_mode")) b.decayMode(decayMode(fields.get("decay_mode").toString()));
        b.l1(num("l1", 0)).l2(num("l2", 0)).maximize(bool("maximize", false));
        if (fields.containsKey("group_lasso")) b.groupLasso(io.ndopt.regularize.GroupLassoSpec.fromMap(fields.get("group_lasso")));
        if (schedule != null) b.schedule(schedule.toSchedule(lr));
        return b;
    }

    private static DecayMode decayMode(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "coupled" -> DecayMode.COUPLED;
            case "decoupled" -> DecayMode.DECOUPLED;
            case "decoupled_schedule_only", "paper" -> DecayMode.DECOUPLED_SCHEDULE_ONLY;
            default -> throw new IllegalArgumentException("optimizer: field 'decay_mode' must be coupled, decoupled or decoupled_schedule_only, got '" + s + "'");
        };
    }

    private double num(String key, double dflt) {
        Object v = fields.get(key);
        return v == null ? dflt : toDouble(key, v);
    }

    private boolean bool(String key, boolean dflt) {
        Object v = fields.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        String s = v.toString().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) return Boolean.parseBoolean(s);
        throw new IllegalArgumentException("optimizer: field '" + key + "' must be true or false, got '" + v + "'");
    }

    static double toDouble(String key, Object v) {
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("optimizer: field '" + key + "' must be a number, got '" + v + "'");
        }
    }
}
