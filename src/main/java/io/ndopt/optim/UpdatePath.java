package io.ndopt.optim;

/** Which implementation performs the element-wise update. */
public enum UpdatePath {
    /** The fused kernels where the backend and the arrays allow it, the reference otherwise (default). */
    AUTO,
    /** Always {@link ReferenceUpdate}: ND4J ops, one tensor at a time. */
    REFERENCE,
    /** The fused kernels; building fails if they are unavailable in this JVM. */
    FUSED
}
