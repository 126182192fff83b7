package io.ndopt.internal.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One family of fused CPU kernels that the running JDK can link, chosen once by {@link KernelChoice}.
 * Callers have checked {@link FusedKernels#supports} (dense, same dtype, float or double, fits an int).
 */
interface CpuKernels {
    /** What runs, for {@code info} and logs, e.g. "MemorySegment vector kernels, 512-bit". */
    String description();

    /** One step; returns Σ g² of {@code g}, summed in the same pass, when {@code fold}, else 0. */
    double apply(KernelScalars k, boolean fold, INDArray p, INDArray g, INDArray[] state);

    double sumSquares(INDArray g);
}
