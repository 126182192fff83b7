package io.ndopt.train;

import io.ndopt.optim.RegularizationSummary;
import java.util.List;

/**
 * What a training run produced. {@code msPerStep} is wall time of the steps (forward, backward, update);
 * {@code nonFiniteSteps} counts steps whose NaN/Inf gradient went into the parameters ({@code nonfinite=propagate}).
 */
public record TrainResult(List<EpochRecord> history, int bestEpoch, boolean stoppedEarly, long steps, long skippedSteps,
                          long nonFiniteSteps, double msPerStep, SparsityReport sparsity, RegularizationSummary regularization,
                          double weightNorm) {
    public EpochRecord last() { return history.isEmpty() ? null : history.get(history.size() - 1); }
}
