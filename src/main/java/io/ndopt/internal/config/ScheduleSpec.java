package io.ndopt.internal.config;

import io.ndopt.schedule.Schedule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A schedule described by name and fields: {@code {"type":"cosine","t_max":100,"eta_min":0}},
 * {@code step} (step_size, gamma), {@code exponential} (gamma), {@code warmup_cosine} (warmup,
 * total, eta_min), {@code linear_warmup} (warmup; then constant) or {@code constant}. The base rate
 * comes from the optimizer's {@code lr}. Step counts must be integers and rates finite numbers
 * (exact types in files, strict text in {@code cosine:t_max=100}); unknown and missing fields are
 * errors naming the field.
 *
 * @param fields typed values: Long for step counts, Double for rates
 */
public record ScheduleSpec(String type, Map<String, Object> fields) {
    private static final Set<String> COUNTS = Set.of("step_size", "t_max", "warmup", "total");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "constant", Set.of(),
            "step", Set.of("step_size", "gamma"),
            "exponential", Set.of("gamma"),
            "cosine", Set.of("t_max", "eta_min"),
            "warmup_cosine", Set.of("warmup", "total", "eta_min"),
            "linear_warmup", Set.of("warmup"));
    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "constant", Set.of(), "step", Set.of("step_size"), "exponential", Set.of("gamma"),
            "cosine", Set.of("t_max"), "warmup_cosine", Set.of("warmup", "total"), "linear_warmup", Set.of("warmup"));

    public ScheduleSpec {
        type = type == null ? null : type.trim().toLowerCase(Locale.ROOT);
        if (type == null || !FIELDS.containsKey(type)) {
            throw new ConfigException("schedule: unknown type '" + type + "' (valid: "
                    + String.join(", ", new TreeSet<>(FIELDS.keySet())) + ")");
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (var e : fields.entrySet()) {
            if (e.getKey().equals("type")) continue;
            if (!FIELDS.get(type).contains(e.getKey())) {
                throw new ConfigException("schedule '" + type + "': unknown field '" + e.getKey() + "' (valid: "
                        + new TreeSet<>(FIELDS.get(type)) + ")");
            }
            typed.put(e.getKey(), value(type, e.getKey(), e.getValue()));
        }
        for (String r : REQUIRED.get(type)) {
            if (!typed.containsKey(r)) throw new ConfigException("schedule '" + type + "': missing field '" + r + "'");
        }
        fields = Collections.unmodifiableMap(typed);
        build(type, typed, 1.0);    // range checks of the Schedule factories, now rather than at the first step
    }

    /** From an object; values must have their exact types (text values are parsed strictly). */
    public static ScheduleSpec fromMap(Map<String, ?> m) {
        Object t = m.get("type");
        if (t == null) throw new ConfigException("schedule: missing field 'type'");
        if (!(t instanceof String)) throw new ConfigException("schedule: field 'type' must be a string, got " + t);
        return new ScheduleSpec((String) t, new LinkedHashMap<>(m));
    }

    /** From the CLI form {@code cosine:t_max=100,eta_min=0}. */
    public static ScheduleSpec parse(String compact) {
        Map<String, Object> m = CompactSpec.parse(compact, "schedule");
        String type = String.valueOf(m.get("type")).trim().toLowerCase(Locale.ROOT);
        for (var e : m.entrySet()) {
            if (e.getKey().equals("type")) continue;
            try {
                String v = (String) e.getValue();
                e.setValue(COUNTS.contains(e.getKey()) ? (Object) Kind.LONG.fromText(v) : Kind.DOUBLE.fromText(v));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException("schedule '" + type + "': field '" + e.getKey() + "' " + ex.getMessage());
            }
        }
        return fromMap(m);
    }

    /** Type and fields as plain data. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.putAll(fields);
        return m;
    }

    public Schedule toSchedule(double lr) { return build(type, fields, lr); }

    private static Schedule build(String type, Map<String, Object> f, double lr) {
        try {
            return switch (type) {
                case "constant" -> Schedule.constant(lr);
                case "step" -> Schedule.step(lr, (Long) f.get("step_size"), rate(f, "gamma", 0.1));
                case "exponential" -> Schedule.exponential(lr, rate(f, "gamma", Double.NaN));
                case "cosine" -> Schedule.cosine(lr, (Long) f.get("t_max"), rate(f, "eta_min", 0));
                case "linear_warmup" -> Schedule.linearWarmup(lr, (Long) f.get("warmup"));
                default -> Schedule.warmupCosine(lr, (Long) f.get("warmup"), (Long) f.get("total"),
                        rate(f, "eta_min", 0));
            };
        } catch (IllegalArgumentException e) {
            throw e instanceof ConfigException ? e : new ConfigException("schedule '" + type + "': " + e.getMessage());
        }
    }

    private static double rate(Map<String, Object> f, String key, double dflt) {
        Object v = f.get(key);
        return v == null ? dflt : (Double) v;
    }

    private static Object value(String type, String key, Object v) {
        try {
            return COUNTS.contains(key) ? (Object) Kind.LONG.fromTyped(v) : Kind.DOUBLE.fromTyped(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("schedule '" + type + "': field '" + key + "' " + e.getMessage());
        }
    }
}
