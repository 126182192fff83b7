package io.ndopt.optim;

import io.ndopt.check.Require;
import io.ndopt.param.Role;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.ParamMask;
import io.ndopt.regularize.PenaltySchedule;
import io.ndopt.schedule.Schedule;
import java.util.Objects;
import java.util.Set;

/**
 * Hyper-parameters of one parameter group.
 *
 * @param lr              learning rate (a constant is {@link Schedule#constant})
 * @param weightDecay     decay rate; where it applies is {@code decayMode}
 * @param decayMode       coupled L2 or decoupled decay
 * @param l1              L1 strength, applied as the proximal soft threshold {@code t = lr_t·l1} after the step
 * @param l2              extra L2 strength through the gradient ({@code d += l2·w}, penalty {@code (l2/2)||w||²});
 *                        with {@code l1} this is the elastic net
 * @param regularized     which parameters receive weightDecay, l1, l2 and the group lasso (default: weights only)
 * @param groupLasso      group-lasso penalty, applied as a group prox with {@code t = lr_t·λ} after the L1 prox
 * @param penaltySchedule schedules of the penalty strengths, independent of {@code lr}
 * @param maximize        ascend instead of descend: the gradient's sign is flipped, the penalties' are not
 *                        (PyTorch keeps {@code maximize} in its param groups too)
 */
public record GroupOptions(Schedule lr, double weightDecay, DecayMode decayMode, double l1, double l2,
        ParamMask regularized,
                           GroupLasso groupLasso, PenaltySchedule penaltySchedule, boolean maximize) {
    public GroupOptions {
        Objects.requireNonNull(lr, "lr");
        Objects.requireNonNull(decayMode, "decayMode");
        Require.finiteNonNegative("weight_decay", weightDecay);
        Require.finiteNonNegative("l1", l1);
        Require.finiteNonNegative("l2", l2);
        Objects.requireNonNull(regularized, "regularized");
        Objects.requireNonNull(groupLasso, "groupLasso");
        Objects.requireNonNull(penaltySchedule, "penaltySchedule");
    }

    /**
     * Minimizing options without group lasso and with constant penalty strengths, regularizing the
     * parameters whose role is in {@code roles}.
     */
    public GroupOptions(Schedule lr, double weightDecay, DecayMode decayMode, double l1, double l2, Set<Role> roles) {
        this(lr, weightDecay, decayMode, l1, l2, ParamMask.roles(roles), GroupLasso.NONE,
                PenaltySchedule.CONSTANT_STRENGTHS, false);
    }

    public static GroupOptions defaults(double lr) {
        return new GroupOptions(Schedule.constant(lr), 0, DecayMode.COUPLED, 0, 0, Set.of(Role.WEIGHT));
    }

    public GroupOptions withLr(double v) { return withSchedule(Schedule.constant(v)); }

    public GroupOptions withSchedule(Schedule s) {
        return new GroupOptions(s, weightDecay, decayMode, l1, l2, regularized, groupLasso, penaltySchedule, maximize);
    }

    public GroupOptions withWeightDecay(double v) {
        return new GroupOptions(lr, v, decayMode, l1, l2, regularized, groupLasso, penaltySchedule, maximize);
    }

    public GroupOptions withDecayMode(DecayMode m) {
        return new GroupOptions(lr, weightDecay, m, l1, l2, regularized, groupLasso, penaltySchedule, maximize);
    }

    public GroupOptions withL1(double v) {
        return new GroupOptions(lr, weightDecay, decayMode, v, l2, regularized, groupLasso, penaltySchedule, maximize);
    }

    public GroupOptions withL2(double v) {
        return new GroupOptions(lr, weightDecay, decayMode, l1, v, regularized, groupLasso, penaltySchedule, maximize);
    }

    public GroupOptions withRegularized(Set<Role> roles) { return withRegularized(ParamMask.roles(roles)); }

    public GroupOptions withRegularized(ParamMask m) {
        return new GroupOptions(lr, weightDecay, decayMode, l1, l2, m, groupLasso, penaltySchedule, maximize);
    }

    public GroupOptions withGroupLasso(GroupLasso g) {
        return new GroupOptions(lr, weightDecay, decayMode, l1, l2, regularized, g, penaltySchedule, maximize);
    }

    public GroupOptions withPenaltySchedule(PenaltySchedule s) {
        return new GroupOptions(lr, weightDecay, decayMode, l1, l2, regularized, groupLasso, s, maximize);
    }

    public GroupOptions withMaximize(boolean m) {
        return new GroupOptions(lr, weightDecay, decayMode, l1, l2, regularized, groupLasso, penaltySchedule, m);
    }

    /** Whether any decay or penalty would touch a regularized parameter. */
    public boolean regularizes() { return weightDecay > 0 || l1 > 0 || l2 > 0 || groupLasso.active(); }

    /** These options as they apply to a parameter that is not regularized: no decay, no L1, no L2, no group lasso. */
    GroupOptions unregularized() {
        return new GroupOptions(lr, 0, decayMode, 0, 0, regularized, GroupLasso.NONE, penaltySchedule, maximize);
    }

    /** What these options regularize and how, for the optimizer's log line. */
    String describeRegularization() {
        StringBuilder s = new StringBuilder("regularized = " + regularized);
        if (groupLasso.active()) s.append(", ").append(groupLasso);
        if (!penaltySchedule.constant()) s.append(", scheduled penalty strengths");
        return s.toString();
    }
}
