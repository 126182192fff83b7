package io.ndopt.optim;

import io.ndopt.internal.kernel.KernelScalars;

/**
 * A rule and its step's scalars as the fused kernels (CPU and GPU) take them: the one place where the
 * optimizer's vocabulary ({@link Rule}, {@link StepScalars}) becomes the kernels' ({@link KernelScalars}).
 */
final class KernelArgs {
    private KernelArgs() {}

    static KernelScalars of(Rule rule, StepScalars s) {
        if (rule instanceof Rule.Sgd r) {
            return KernelScalars.sgd(s.t(), s.lr(), s.gradScale(), s.decayFactor(), s.l2(), s.threshold(),
                    r.momentum(), r.dampening(), r.nesterov());
        }
        if (!(rule instanceof Rule.Adam r)) return RuleScalars.kernel(rule, s);     // the element-wise family
        return KernelScalars.adam(s.t(), s.lr(), s.gradScale(), s.decayFactor(), s.l2(), s.threshold(),
                r.beta1(), r.beta2(), r.eps(), r.amsgrad());
    }

    /** Schedule-free AdamW's step: {@code s.lr()} is the warmed-up lr_k, {@code c} and {@code wd} as in {@link ReferenceUpdate#scheduleFree}. */
    static KernelScalars scheduleFree(Rule.ScheduleFreeAdamW r, StepScalars s, double c, double wd) {
        return KernelScalars.scheduleFree(s.t(), s.lr(), s.gradScale(), s.l2(), r.beta1(), r.beta2(), r.eps(), c, wd);
    }
}
