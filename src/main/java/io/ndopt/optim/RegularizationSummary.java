package io.ndopt.optim;

/** Counts of tensors and scalars that weight decay / L1 / L2 touch and that they leave alone. */
public record RegularizationSummary(long decayedTensors, long decayedParams, long plainTensors, long plainParams) {
    @Override public String toString() {
        return "decayed/regularized: " + decayedTensors + " tensors (" + decayedParams + " params); not: "
                + plainTensors + " tensors (" + plainParams + " params)";
    }
}
