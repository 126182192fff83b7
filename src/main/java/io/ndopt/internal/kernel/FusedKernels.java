package io.ndopt.internal.kernel;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Entry point of the fused CPU path: one pass over the direct memory of dense arrays, in place,
 * no allocation, on all cores. Which kernels run (if any) is decided once, when this class is
 * first used, by {@link KernelChoice}: {@code ByteBuffer} vector kernels on JDK 17,
 * {@code MemorySegment} vector kernels on JDK 22+, none on JDK 19-21, none without
 * {@code --add-modules jdk.incubator.vector} or off the CPU backend.
 */
public final class FusedKernels {
    private static final KernelChoice CHOICE = KernelChoice.detect();
    private static final AtomicBoolean NOTICED = new AtomicBoolean();

    private FusedKernels() {}

    /** Whether the fused path can run in this JVM at all. */
    public static boolean available() { return CHOICE.kernels() != null; }

    /** Which kernels run and on which JDK, or why none does; for logs and {@code info}. */
    public static String status() { return CHOICE.why(); }

    /** Why the fused path is not available, for logs and {@code info}; empty when it is. */
    public static String unavailableReason() { return available() ? "" : CHOICE.why(); }

    /** True the first time it is called in this JVM, so "fused path off" is logged once, not per optimizer. */
    public static boolean firstNotice() { return NOTICED.compareAndSet(false, true); }

    /**
     * Whether these arrays can be updated by a fused kernel: one float dtype, equal lengths, each
     * contiguous (element-wise stride 1) and all laid out alike (vectors, or the same ordering), so
     * that buffer position i is the same element in every array.
     */
    public static boolean supports(INDArray p, INDArray g, INDArray[] state) {
        if (!available() || p.dataType() != DataType.FLOAT && p.dataType() != DataType.DOUBLE) return false;
        if (!fitsInt(p)) return false;
        char layout = layout(p);
        if (layout == 0 || !compatible(g, p, layout)) return false;
        for (INDArray s : state) if (!compatible(s, p, layout)) return false;
        return true;
    }

    private static boolean fitsInt(INDArray a) {
        return a.length() > 0 && (a.offset() + a.length()) * a.dataType().width() <= Integer.MAX_VALUE - 64;
    }

    private static boolean compatible(INDArray a, INDArray p, char layout) {
        return a != null && a.dataType() == p.dataType() && a.length() == p.length() && fitsInt(a)
                && layout(a) == layout && (layout == 'v' || Arrays.equals(a.shape(), p.shape()));
    }

    /** 'v' for a contiguous vector, 'c'/'f' for a contiguous array of that order, 0 if not contiguous. */
    private static char layout(INDArray a) {
        if (a.isEmpty() || a.elementWiseStride() != 1) return 0;
        if (a.rank() <= 1 || a.isVector() || a.isScalar()) return 'v';
        return a.ordering();
    }

    /** Applies one fused step; callers check {@link #supports} first. */
    public static void apply(KernelScalars k, INDArray p, INDArray g, INDArray[] state) {
        CHOICE.kernels().apply(k, false, p, g, state);
    }

    /**
     * Applies one fused step and returns Σ g² of the raw gradient {@code g}, summed in the same pass (so
     * the gradient is read once); callers check {@link #supports} first. It is NaN or +Inf when {@code g}
     * holds a NaN or ±Inf, which by then has reached the parameters: only for steps that need no check first.
     */
    public static double applySummingSquares(KernelScalars k, INDArray p, INDArray g, INDArray[] state) {
        return CHOICE.kernels().apply(k, true, p, g, state);
    }

    /** Σ g² over a contiguous array (float or double), or NaN when the fused path cannot read it. */
    public static double sumSquares(INDArray g) {
        if (!available() || layout(g) == 0 || !fitsInt(g)) return Double.NaN;
        if (g.dataType() != DataType.FLOAT && g.dataType() != DataType.DOUBLE) return Double.NaN;
        return CHOICE.kernels().sumSquares(g);
    }
}
