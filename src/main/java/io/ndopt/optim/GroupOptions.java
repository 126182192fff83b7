package io.ndopt.optim;

import io.ndopt.param.Role;
import io.ndopt.schedule.Schedule;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Hyper-parameters of one parameter group.
 *
 * @param lr          learning rate (a constant is {@link Schedule#constant})
 * @param weightDecay decay rate; where it applies is {@code decayMode}
 * @param decayMode   coupled L2 or decoupled decay
 * @param l1          L1 strength, applied as the proximal soft threshold {@code t = lr_t·l1} after the step
 * @param l2          extra L2 strength through the gradient ({@code d += l2·w}, penalty {@code (l2/2)||w||²});
 *                    with {@code l1} this is the elastic net
 * @param regularized roles that receive weightDecay, l1 and l2 (default: weights only)
 */
public record GroupOptions(Schedule lr, double weightDecay, DecayMode decayMode, double l1, double l2, Set<Role> regularized) {
    public GroupOptions {
        Objects.requireNonNull(lr, "lr");
        Objects.requireNonNull(decayMode, "decayMode");
        checkNonNegative("weight_decay", weightDecay);
        checkNonNegative("l1", l1);
        checkNonNegative("l2", l2);
        regularized = regularized.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(regularized));
    }

    static void checkNonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(field + " must be a finite number >= 0, got " + v);
    }

    public static GroupOptions defaults(double lr) {
        return new GroupOptions(Schedule.constant(lr), 0, DecayMode.COUPLED, 0, 0, Set.of(Role.WEIGHT));
    }

    public GroupOptions withLr(double v) { return withSchedule(Schedule.constant(v)); }
    public GroupOptions withSchedule(Schedule s) { return new GroupOptions(s, weightDecay, decayMode, l1, l2, regularized); }
    public GroupOptions withWeightDecay(double v) { return new GroupOptions(lr, v, decayMode, l1, l2, regularized); }
    public GroupOptions withDecayMode(DecayMode m) { return new GroupOptions(lr, weightDecay, m, l1, l2, regularized); }
    public GroupOptions withL1(double v) { return new GroupOptions(lr, weightDecay, decayMode, v, l2, regularized); }
    public GroupOptions withL2(double v) { return new GroupOptions(lr, weightDecay, decayMode, l1, v, regularized); }
    public GroupOptions withRegularized(Set<Role> roles) { return new GroupOptions(lr, weightDecay, decayMode, l1, l2, roles); }

    /** Whether any decay or penalty would touch a regularized parameter. */
    public boolean regularizes() { return weightDecay > 0 || l1 > 0 || l2 > 0; }

    /** These options as they apply to a parameter that is not regularized: no decay, no L1, no L2. */
    GroupOptions unregularized() { return new GroupOptions(lr, 0, decayMode, 0, 0, regularized); }
}
