package io.ndopt.optim;

/**
 * The scalars one step of one segment needs besides the {@link Rule}: resolved once per step from
 * the group's options, the schedule and global clipping, and shared by the reference and fused paths.
 *
 * @param t           the step being taken, counted from 1 (bias correction and SGD's first step)
 * @param lr          scheduled learning rate of this step
 * @param gradScale   clipping factor, times −1 when the group maximizes (all the kernels see of {@code maximize})
 * @param decayFactor {@code 1 − lr_t·wd} (decoupled) or {@code 1 − η_t·wd} (paper variant); 1 when coupled
 * @param l2          gradient-coupled L2 coefficient: coupled weight decay plus the L2 penalty
 * @param threshold   L1 soft threshold {@code lr_t·l1} (the group-lasso threshold is {@link #groupThreshold})
 * @param muProduct   NAdam's {@code mu_product} {@code μ_1⋯μ_t} including this step (torch's {@code state['mu_product']},
 *                    kept by the optimizer and saved in its state); 1 for the other rules
 */
public record StepScalars(long t, double lr, double gradScale, double decayFactor, double l2, double threshold,
                          double muProduct) {
    public StepScalars {
        if (t < 1) throw new IllegalArgumentException("step t must be >= 1, got " + t);
    }

    /** The scalars of every rule but NAdam ({@code muProduct = 1}). */
    public StepScalars(long t, double lr, double gradScale, double decayFactor, double l2, double threshold) {
        this(t, lr, gradScale, decayFactor, l2, threshold, 1);
    }

    /** The same step with NAdam's running product {@code μ_1⋯μ_t}. */
    public StepScalars withMuProduct(double p) { return new StepScalars(t, lr, gradScale, decayFactor, l2, threshold, p); }

    /** The same step with another L1 threshold. */
    public StepScalars withThreshold(double thr) { return new StepScalars(t, lr, gradScale, decayFactor, l2, thr, muProduct); }

    /**
     * Resolves a group's options at step {@code t} (1-based) with clipping factor {@code clip}. The
     * penalty strengths follow the group's {@link io.ndopt.regularize.PenaltySchedule} (multiplier at
     * {@code t − 1}, exactly 1 for the constant default), independent of the lr schedule.
     */
    public static StepScalars resolve(GroupOptions o, long t, double clip) {
        long k = t - 1;
        double lr = o.lr().lr(k);
        double sign = o.maximize() ? -1 : 1;
        var ps = o.penaltySchedule();
        double wd = o.weightDecay() * ps.weightDecay().multiplier(k);
        double decay = switch (o.decayMode()) {
            case COUPLED -> 1;
            case DECOUPLED -> 1 - lr * wd;
            case DECOUPLED_SCHEDULE_ONLY -> 1 - o.lr().multiplier(k) * wd;
        };
        double l2 = o.l2() * ps.l2().multiplier(k) + (o.decayMode() == DecayMode.COUPLED ? wd : 0);
        return new StepScalars(t, lr, clip * sign, decay, l2, lr * o.l1() * ps.l1().multiplier(k));
    }

    /** The group-lasso threshold of step {@code t}: {@code lr_t · λ · m(t − 1)} (multiply by {@code c_g} per group). */
    public static double groupThreshold(GroupOptions o, long t) {
        return o.lr().lr(t - 1) * o.groupLasso().lambda() * o.penaltySchedule().groupLasso().multiplier(t - 1);
    }
}
