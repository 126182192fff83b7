package io.ndopt.internal.cli;

import io.ndopt.backend.BlasCheck;

/**
 * Entry point of the BLAS check in a process of its own: {@code --probe} (how {@code info} learns which
 * OpenBLAS kernels run), or {@code [repeats [threads]]} for one JSON line of correctness and step GEMM time.
 */
public final class BlasProbe {
    private BlasProbe() {}

    public static void main(String[] args) { BlasCheck.run(args); }
}
