package io.ndopt.regularize;

import io.ndopt.schedule.Schedule;
import java.util.Objects;

/**
 * Schedules of the penalty strengths, independent of the learning-rate schedule. Each is used by
 * its shape: step {@code t} uses {@code λ_t = λ · s.multiplier(t − 1)} (the schedule's
 * {@code lr(k) / base()}), so {@code Schedule.linearWarmup(1, 500)} ramps λ up over 500 steps
 * whatever λ is. The constant schedule (the default) leaves every strength fixed.
 *
 * @param l1          multiplies the L1 strength
 * @param l2          multiplies the L2 strength
 * @param groupLasso  multiplies the group-lasso strength
 * @param weightDecay multiplies the weight decay (coupled or decoupled)
 */
public record PenaltySchedule(Schedule l1, Schedule l2, Schedule groupLasso, Schedule weightDecay) {
    private static final Schedule CONSTANT = Schedule.constant(1);
    public static final PenaltySchedule CONSTANT_STRENGTHS =
            new PenaltySchedule(CONSTANT, CONSTANT, CONSTANT, CONSTANT);

    public PenaltySchedule {
        Objects.requireNonNull(l1, "l1 schedule");
        Objects.requireNonNull(l2, "l2 schedule");
        Objects.requireNonNull(groupLasso, "group_lasso schedule");
        Objects.requireNonNull(weightDecay, "weight_decay schedule");
    }

    public PenaltySchedule withL1(Schedule s) { return new PenaltySchedule(s, l2, groupLasso, weightDecay); }
    public PenaltySchedule withL2(Schedule s) { return new PenaltySchedule(l1, s, groupLasso, weightDecay); }
    public PenaltySchedule withGroupLasso(Schedule s) { return new PenaltySchedule(l1, l2, s, weightDecay); }
    public PenaltySchedule withWeightDecay(Schedule s) { return new PenaltySchedule(l1, l2, groupLasso, s); }

    /**
     * A copy with the schedule of {@code penalty} ({@code l1}, {@code l2}, {@code group_lasso} or {@code weight_decay})
     * replaced.
     */
    public PenaltySchedule with(String penalty, Schedule s) {
        return switch (penalty) {
            case "l1" -> withL1(s);
            case "l2" -> withL2(s);
            case "group_lasso" -> withGroupLasso(s);
            case "weight_decay", "wd" -> withWeightDecay(s);
            default -> throw new IllegalArgumentException("penalty schedule: unknown penalty '" + penalty
                    + "' (valid: group_lasso, l1, l2, weight_decay)");
        };
    }

    public boolean constant() { return equals(CONSTANT_STRENGTHS); }
}
