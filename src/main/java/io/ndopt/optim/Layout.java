package io.ndopt.optim;

/** How the optimizer stores the parameters it updates. */
public enum Layout {
    /**
     * Parameters, gradients and state are packed into one contiguous buffer per dtype, each group's
     * parameters one contiguous range; a step costs about what one big tensor costs (default).
     */
    FLAT,
    /** Parameters stay where they are, one update per tensor (for arrays owned by someone else). */
    TENSORS
}
