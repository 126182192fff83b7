package io.ndopt.optim.kernel;

import io.ndopt.optim.Rule;
import io.ndopt.optim.StepScalars;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Entry point of the fused CPU path: one pass over the direct memory of dense arrays, in place,
 * no allocation, on all cores. Available when the ND4J backend is the CPU one and the JVM was
 * started with {@code --add-modules jdk.incubator.vector}; the vector classes are loaded only then.
 */
public final class FusedKernels {
    private static final boolean AVAILABLE = detect();

    private FusedKernels() {}

    private static boolean detect() {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        boolean cpu = Nd4j.getBackend().getClass().getSimpleName().toLowerCase().contains("cpu");
        return vector && cpu;
    }

    /** Whether the fused path can run in this JVM at all. */
    public static boolean available() { return AVAILABLE; }

    /** Why the fused path is not available, for logs and {@code info}; empty when it is. */
    public static String unavailableReason() {
        if (AVAILABLE) return "";
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "the JVM was started without --add-modules jdk.incubator.vector";
        }
        return "the ND4J backend is not the CPU backend";
    }

    /**
     * Whether these arrays can be updated by a fused kernel: one float dtype, equal lengths, each
     * contiguous (element-wise stride 1) and all laid out alike (vectors, or the same ordering), so
     * that buffer position i is the same element in every array.
     */
    public static boolean supports(INDArray p, INDArray g, INDArray[] state) {
        if (!AVAILABLE || p.dataType() != DataType.FLOAT && p.dataType() != DataType.DOUBLE) return false;
        if (p.length() == 0 || p.length() * p.dataType().width() > Integer.MAX_VALUE - 64) return false;
        char layout = layout(p);
        if (layout == 0 || !compatible(g, p, layout)) return false;
        for (INDArray s : state) if (!compatible(s, p, layout)) return false;
        return true;
    }

    private static boolean compatible(INDArray a, INDArray p, char layout) {
        return a != null && a.dataType() == p.dataType() && a.length() == p.length()
                && layout(a) == layout && (layout == 'v' || java.util.Arrays.equals(a.shape(), p.shape()));
    }

    /** 'v' for a contiguous vector, 'c'/'f' for a contiguous array of that order, 0 if not contiguous. */
    private static char layout(INDArray a) {
        if (a.isEmpty() || a.elementWiseStride() != 1) return 0;
        if (a.rank() <= 1 || a.isVector() || a.isScalar()) return 'v';
        return a.ordering();
    }

    /** Applies one fused step; callers check {@link #supports} first. */
    public static void apply(Rule rule, StepScalars s, INDArray p, INDArray g, INDArray[] state) {
        int n = (int) p.length();
        boolean f32 = p.dataType() == DataType.FLOAT;
        ByteBuffer pb = bytes(p), gb = bytes(g);
        if (rule instanceof Rule.Sgd sgd) {
            ByteBuffer buf = state.length > 0 ? bytes(state[0]) : null;
            if (f32) VectorF32.sgd(sgd, s, pb, gb, buf, n); else VectorF64.sgd(sgd, s, pb, gb, buf, n);
        } else {
            Rule.Adam adam = (Rule.Adam) rule;
            ByteBuffer m = bytes(state[0]), v = bytes(state[1]);
            ByteBuffer vmax = adam.amsgrad() ? bytes(state[2]) : null;
            if (f32) VectorF32.adam(adam, s, pb, gb, m, v, vmax, n); else VectorF64.adam(adam, s, pb, gb, m, v, vmax, n);
        }
        // p, g and state stay strongly reachable through the caller's arguments until here
        reachabilityFence(p, g, state);
    }

    private static void reachabilityFence(Object... refs) {
        java.lang.ref.Reference.reachabilityFence(refs);
    }

    /** Σ g² over a contiguous array (any float dtype), or NaN when the fused path cannot read it. */
    public static double sumSquares(INDArray g) {
        if (!AVAILABLE || g.length() == 0 || layout(g) == 0 || g.length() * g.dataType().width() > Integer.MAX_VALUE - 64) return Double.NaN;
        if (g.dataType() == DataType.FLOAT) return VectorF32.sumSquares(bytes(g), (int) g.length());
        if (g.dataType() == DataType.DOUBLE) return VectorF64.sumSquares(bytes(g), (int) g.length());
        return Double.NaN;
    }

    /** The bytes of a dense array: its allocation from position 0, sliced at the view's offset. */
    static ByteBuffer bytes(INDArray a) {
        int width = a.dataType().width();
        ByteBuffer all = a.data().asNio();
        return all.slice((int) (a.offset() * width), (int) (a.length() * width)).order(ByteOrder.nativeOrder());
    }
}
