package io.ndopt.optim;

/** What a step does when a gradient contains NaN or ±Inf. */
public enum NonFinitePolicy {
    /** Throw {@link NonFiniteGradientException} naming the parameter and the step (default). */
    ERROR,
    /** Leave parameters and state untouched, count the step in {@link Optimizer#skippedSteps()}. */
    SKIP
}
