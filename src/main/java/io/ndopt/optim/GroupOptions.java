package io.ndopt.optim;

import io.ndopt.internal.validate.Require;
import io.ndopt.param.Role;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.ParamMask;
import io.ndopt.regularize.PenaltySchedule;
import io.ndopt.schedule.Schedule;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

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
                           ParamMask regularized, GroupLasso groupLasso, PenaltySchedule penaltySchedule,
                           boolean maximize) {
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
    public GroupOptions withSchedule(Schedule s) { return edit(e -> e.lr = s); }
    public GroupOptions withWeightDecay(double v) { return edit(e -> e.weightDecay = v); }
    public GroupOptions withDecayMode(DecayMode m) { return edit(e -> e.decayMode = m); }
    public GroupOptions withL1(double v) { return edit(e -> e.l1 = v); }
    public GroupOptions withL2(double v) { return edit(e -> e.l2 = v); }
    public GroupOptions withRegularized(Set<Role> roles) { return withRegularized(ParamMask.roles(roles)); }
    public GroupOptions withRegularized(ParamMask m) { return edit(e -> e.regularized = m); }
    public GroupOptions withGroupLasso(GroupLasso g) { return edit(e -> e.groupLasso = g); }
    public GroupOptions withPenaltySchedule(PenaltySchedule s) { return edit(e -> e.penaltySchedule = s); }
    public GroupOptions withMaximize(boolean m) { return edit(e -> e.maximize = m); }

    /** A copy with the fields {@code change} sets; the copy runs the record's checks. */
    private GroupOptions edit(Consumer<Edit> change) {
        Edit e = new Edit(this);
        change.accept(e);
        return new GroupOptions(e.lr, e.weightDecay, e.decayMode, e.l1, e.l2, e.regularized, e.groupLasso,
                e.penaltySchedule, e.maximize);
    }

    /** The fields of a {@link GroupOptions} being edited: the one place the withers list them all. */
    private static final class Edit {
        Schedule lr;
        double weightDecay, l1, l2;
        DecayMode decayMode;
        ParamMask regularized;
        GroupLasso groupLasso;
        PenaltySchedule penaltySchedule;
        boolean maximize;

        Edit(GroupOptions o) {
            lr = o.lr;
            weightDecay = o.weightDecay;
            decayMode = o.decayMode;
            l1 = o.l1;
            l2 = o.l2;
            regularized = o.regularized;
            groupLasso = o.groupLasso;
            penaltySchedule = o.penaltySchedule;
            maximize = o.maximize;
        }
    }

    /** Whether any decay or penalty would touch a regularized parameter. */
    public boolean regularizes() { return weightDecay > 0 || l1 > 0 || l2 > 0 || groupLasso.active(); }

    /** These options as they apply to a parameter that is not regularized: no decay, no L1, no L2, no group lasso. */
    GroupOptions unregularized() {
        return edit(e -> {
            e.weightDecay = 0;
            e.l1 = 0;
            e.l2 = 0;
            e.groupLasso = GroupLasso.NONE;
        });
    }

    /** What these options regularize and how, for the optimizer's log line. */
    String describeRegularization() {
        StringBuilder s = new StringBuilder("regularized = " + regularized);
        if (groupLasso.active()) s.append(", ").append(groupLasso);
        if (!penaltySchedule.constant()) s.append(", scheduled penalty strengths");
        return s.toString();
    }
}
