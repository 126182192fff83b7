package io.ndopt.internal.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The written forms of the {@code penalty_schedule} setting: the text
 * {@code PENALTY=SCHEDULE[;PENALTY=SCHEDULE…]}, e.g.
 * {@code l1=linear_warmup:warmup=200;weight_decay=cosine:t_max=1000}, or in files an object
 * {@code {l1: "linear_warmup:warmup=200", weight_decay: {type: cosine, t_max: 1000}}}. Each penalty's
 * strength follows its schedule's shape (multiplier, base 1; see {@link io.ndopt.regularize.PenaltySchedule}),
 * independent of the lr schedule. Penalties: {@code group_lasso, l1, l2, weight_decay}.
 */
public final class PenaltySchedules {
    private static final Set<String> PENALTIES = Set.of("group_lasso", "l1", "l2", "weight_decay");

    private PenaltySchedules() {}

    /** The text form. */
    public static Map<String, ScheduleSpec> parse(String s) {
        Map<String, ScheduleSpec> out = new LinkedHashMap<>();
        for (String entry : s.split(";", -1)) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("must be PENALTY=SCHEDULE[;PENALTY=SCHEDULE...] (e.g. "
                        + "l1=linear_warmup:warmup=100), got entry '" + entry.trim() + "'");
            }
            put(out, entry.substring(0, eq).trim(), ScheduleSpec.parse(entry.substring(eq + 1).trim()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** A typed value: the text form as a string, or an object of penalty to schedule (text or object). */
    @SuppressWarnings("unchecked")
    public static Map<String, ScheduleSpec> fromTyped(Object v) {
        if (v instanceof String s) return parse(s);
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new IllegalArgumentException("must be an object {PENALTY: SCHEDULE} or the text "
                    + "PENALTY=SCHEDULE[;...], got " + v);
        }
        Map<String, ScheduleSpec> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            Object sv = e.getValue();
            ScheduleSpec spec = sv instanceof ScheduleSpec bound ? bound
                    : sv instanceof String t ? ScheduleSpec.parse(t)
                    : sv instanceof Map<?, ?> sm ? ScheduleSpec.fromMap((Map<String, ?>) sm)
                    : fail("has penalty '" + e.getKey() + "' whose schedule must be text or an object, got " + sv);
            put(out, String.valueOf(e.getKey()), spec);
        }
        return Collections.unmodifiableMap(out);
    }

    /** As plain data: penalty to schedule object. */
    public static Map<String, Object> plain(Map<String, ScheduleSpec> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.toMap()));
        return out;
    }

    private static void put(Map<String, ScheduleSpec> out, String penalty, ScheduleSpec spec) {
        if (!PENALTIES.contains(penalty)) {
            throw new IllegalArgumentException("has unknown penalty '" + penalty
                    + "' (valid: group_lasso, l1, l2, weight_decay)");
        }
        if (out.put(penalty, spec) != null) throw new IllegalArgumentException("has penalty '" + penalty + "' twice");
    }

    private static <T> T fail(String m) { throw new IllegalArgumentException(m); }
}
