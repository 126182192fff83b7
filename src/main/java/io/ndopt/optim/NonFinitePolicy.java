package io.ndopt.optim;

/** What a step does when a gradient contains NaN or ±Inf. */
public enum NonFinitePolicy {
    /** Throw {@link NonFiniteGradientException} naming the parameter and the step (default). */
    ERROR,
    /** Leave parameters and state untouched, count the step in {@link Optimizer#skippedSteps()}. */
    SKIP,
    /**
     * Check nothing before the update, as {@code torch.optim} does: a NaN or ±Inf gradient goes into the
     * parameters and the state, with PyTorch's arithmetic (clipping by a NaN norm scales every gradient by
     * NaN, by an infinite norm by 0); proximal L1 maps a NaN weight to 0, as {@code sign(w)·max(|w| − t, 0)}
     * evaluates, while the state keeps the NaN. The step is counted in {@link Optimizer#nonFiniteSteps()} and logged.
     * What it buys: without clipping, the gradient's norm is summed in the update's own pass, so the fused
     * CPU kernels read each gradient once instead of twice (ERROR and SKIP must read every gradient before
     * the first write, since an in-place update cannot be undone exactly). With clipping the norm is needed
     * before the update, so the step reads the gradients twice, as under the other policies.
     */
    PROPAGATE
}
