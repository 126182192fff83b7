package io.ndopt.train;

/**
 * One epoch of history. {@code metric} is accuracy for classification and R² for regression;
 * validation fields are NaN without a validation set.
 *
 * @param trainObjective training loss plus the regularization penalty
 * @param seconds wall time of the epoch: its steps and its evaluation
 * @param stepMs mean wall time of one step of this epoch in ms (forward, backward, update; no evaluation)
 * @param weightNorm ‖W‖₂ of the weight matrices (biases excluded) at the end of the epoch
 * @param zeroFraction the fraction of weights exactly 0.0 at the end of the epoch
 */
public record EpochRecord(int epoch, long steps, double lr, double trainLoss, double trainObjective, double trainMetric,
                          double valLoss, double valMetric, double seconds, double stepMs, double weightNorm,
                          double zeroFraction) {}
