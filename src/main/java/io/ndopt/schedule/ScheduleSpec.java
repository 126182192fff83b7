package io.ndopt.schedule;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A schedule described by name and fields: {@code {"type":"cosine","t_max":100,"eta_min":0}},
 * {@code step} (step_size, gamma), {@code exponential} (gamma), {@code warmup_cosine} (warmup,
 * total, eta_min), {@code linear_warmup} (warmup; then constant) or {@code constant}. The base rate comes from the optimizer's {@code lr}.
 */
public record ScheduleSpec(String type, Map<String, Object> fields) {
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "constant", Set.of(),
            "step", Set.of("step_size", "gamma"),
            "exponential", Set.of("gamma"),
            "cosine", Set.of("t_max", "eta_min"),
            "warmup_cosine", Set.of("warmup", "total", "eta_min"),
            "linear_warmup", Set.of("warmup"));

    public ScheduleSpec {
        type = type == null ? null : type.toLowerCase(Locale.ROOT);
        if (type == null || !FIELDS.containsKey(type)) {
            throw new IllegalArgumentException("schedule: unknown type '" + type + "' (valid: constant, cosine, exponential, linear_warmup, step, warmup_cosine)");
        }
        fields = Map.copyOf(fields);
        for (String k : fields.keySet()) {
            if (!k.equals("type") && !FIELDS.get(type).contains(k)) {
                throw new IllegalArgumentException("schedule: unknown field '" + k + "' for type '" + type + "' (valid: " + FIELDS.get(type) + ")");
            }
        }
    }

    public static ScheduleSpec fromMap(Map<String, ?> m) {
        Object t = m.get("type");
        if (t == null) throw new IllegalArgumentException("schedule: missing field 'type'");
        return new ScheduleSpec(t.toString(), new LinkedHashMap<>(m));
    }

    /** From the CLI form {@code cosine:t_max=100,eta_min=0}. */
    public static ScheduleSpec parse(String compact) {
        return fromMap(io.ndopt.io.CompactSpec.parse(compact, "schedule"));
    }

    public Schedule toSchedule(double lr) {
        return switch (type) {
            case "constant" -> Schedule.constant(lr);
            case "step" -> Schedule.step(lr, (long) num("step_size", Double.NaN), num("gamma", 0.1));
            case "exponential" -> Schedule.exponential(lr, num("gamma", Double.NaN));
            case "cosine" -> Schedule.cosine(lr, (long) num("t_max", Double.NaN), num("eta_min", 0));
            case "linear_warmup" -> Schedule.linearWarmup(lr, (long) num("warmup", Double.NaN));
            default -> Schedule.warmupCosine(lr, (long) num("warmup", Double.NaN), (long) num("total", Double.NaN), num("eta_min", 0));
        };
    }

    private double num(String key, double dflt) {
        Object v = fields.get(key);
        if (v == null) {
            if (Double.isNaN(dflt)) throw new IllegalArgumentException("schedule '" + type + "': missing field '" + key + "'");
            return dflt;
        }
        try {
            return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule '" + type + "': field '" + key + "' must be a number, got '" + v + "'");
        }
    }
}
