package io.ndopt.param;

/**
 * What a parameter is for. Regularization masks are resolved by role, never by rank: ND4J
 * stores a bias as {@code [1, n]}, which a "rank >= 2 means weight" rule would decay.
 */
public enum Role {
    /** A weight matrix or vector: decayed and L1-thresholded by default. */
    WEIGHT,
    /** A bias or offset: excluded from decay and L1 by default. */
    BIAS
}
