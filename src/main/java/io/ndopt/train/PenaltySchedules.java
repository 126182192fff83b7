package io.ndopt.train;

import io.ndopt.schedule.Schedule;
import io.ndopt.schedule.ScheduleSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the {@code penalty_schedule} setting {@code PENALTY=SCHEDULE[;PENALTY=SCHEDULE…]}, e.g.
 * {@code l1=linear_warmup:warmup=200;weight_decay=cosine:t_max=1000}: each penalty's strength follows
 * the schedule's shape (its multiplier, base 1), independent of the lr schedule.
 */
final class PenaltySchedules {
    private PenaltySchedules() {}

    static Map<String, Schedule> parse(String s) {
        Map<String, Schedule> out = new LinkedHashMap<>();
        for (String entry : s.split(";")) {
            if (entry.isBlank()) continue;
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--penalty-schedule entries must be PENALTY=SCHEDULE (e.g. l1=linear_warmup:warmup=100), got '" + entry.trim() + "'");
            }
            String penalty = entry.substring(0, eq).trim();
            if (out.containsKey(penalty)) throw new IllegalArgumentException("--penalty-schedule: '" + penalty + "' given twice");
            out.put(penalty, ScheduleSpec.parse(entry.substring(eq + 1).trim()).toSchedule(1.0));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--penalty-schedule is empty");
        return out;
    }
}
