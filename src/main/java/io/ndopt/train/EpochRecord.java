package io.ndopt.train;

/**
 * One epoch of history. {@code metric} is accuracy for classification and R² for regression;
 * validation fields are NaN without a validation set.
 *
 * @param trainObjective training loss plus the regularization penalty
 */
public record EpochRecord(int epoch, long steps, double lr, double trainLoss, double trainObjective, double trainMetric,
                          double valLoss, double valMetric, double seconds) {}
