package io.ndopt.train;

import io.ndopt.optim.RegularizationSummary;
import java.util.List;

/**
 * What a training run produced. {@code nonFiniteSteps} counts steps whose NaN/Inf gradient went into the parameters
 * ({@code nonfinite=propagate}).
 *
 * @param msPerStep the steady-state wall time of a step (forward, backward, update) in ms: the median of the
 *     per-epoch means ({@link EpochRecord#stepMs}) over the epochs after the first one this run trained; NaN when
 *     it trained fewer than two epochs
 * @param firstEpochMsPerStep the mean step time of the first epoch this run trained, apart because it pays the
 *     JIT compilation and first allocations (in a fresh JVM often ten times the steady state)
 */
public record TrainResult(List<EpochRecord> history, int bestEpoch, boolean stoppedEarly, long steps, long skippedSteps,
                          long nonFiniteSteps, double msPerStep, double firstEpochMsPerStep, SparsityReport sparsity,
                          RegularizationSummary regularization, double weightNorm) {
    public EpochRecord last() { return history.isEmpty() ? null : history.get(history.size() - 1); }
}
