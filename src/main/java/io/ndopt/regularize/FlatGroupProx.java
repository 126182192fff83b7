package io.ndopt.regularize;

import io.ndopt.backend.Backend;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast path of {@link GroupProx}: plain Java loops over the direct memory of a dense array, no
 * ND4J op and no allocation (the caller lends a scratch array). The group prox is two passes: one
 * summing each group's squares (in double, also for float32), one scaling each element by its
 * group's {@link GroupProx#scale}. Works on any JDK ≥ 17 (no Vector API). Tested equal to
 * {@link GroupProx} (float64 to 1e-12, float32 loosely).
 */
public final class FlatGroupProx {
    private static final boolean CPU = Backend.isCpu();

    private FlatGroupProx() {}

    /** Whether {@code a} can be read here: CPU backend, float32/64, dense in c order (or a vector). */
    public static boolean supports(INDArray a) {
        if (!CPU || a.isEmpty() || a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE) return false;
        if (a.length() * a.dataType().width() > Integer.MAX_VALUE - 64 || a.elementWiseStride() != 1) return false;
        return a.rank() <= 1 || a.isVector() || a.ordering() == 'c';
    }

    /** In place, the group soft threshold of {@link GroupProx#groupShrinki}; {@code norms} has one slot per group. */
    public static void groupShrinki(INDArray w, Grouping grouping, double[] c, double t, double[] norms) {
        if (t <= 0) return;
        Arrays.fill(norms, 0, c.length, 0.0);
        if (w.dataType() == DataType.FLOAT) {
            FloatBuffer b = bytes(w).asFloatBuffer();
            sumSquares(b::get, w, grouping, norms);
            for (int g = 0; g < c.length; g++) norms[g] = GroupProx.scale(Math.sqrt(norms[g]), t * c[g]);
            scale(i -> b.get(i), (i, v) -> b.put(i, (float) v), w, grouping, norms);
        } else {
            DoubleBuffer b = bytes(w).asDoubleBuffer();
            sumSquares(b::get, w, grouping, norms);
            for (int g = 0; g < c.length; g++) norms[g] = GroupProx.scale(Math.sqrt(norms[g]), t * c[g]);
            scale(b::get, b::put, w, grouping, norms);
        }
        Reference.reachabilityFence(w);
    }

    private interface Reader { double get(int i); }
    private interface Writer { void put(int i, double v); }

    private static void sumSquares(Reader r, INDArray w, Grouping grouping, double[] sq) {
        if (grouping instanceof Grouping.Indices ix) {
            int[][] groups = ix.groups();
            for (int g = 0; g < groups.length; g++) {
                double s = 0;
                for (int i : groups[g]) { double v = r.get(i); s += v * v; }
                sq[g] = s;
            }
            return;
        }
        int rows = (int) w.size(0), cols = (int) w.size(1);
        boolean byRow = grouping instanceof Grouping.Rows;
        for (int i = 0, k = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++, k++) {
                double v = r.get(k);
                sq[byRow ? i : j] += v * v;
            }
        }
    }

    private static void scale(Reader r, Writer out, INDArray w, Grouping grouping, double[] factor) {
        if (grouping instanceof Grouping.Indices ix) {
            int[][] groups = ix.groups();
            for (int g = 0; g < groups.length; g++) {
                double s = factor[g];
                if (s == 1) continue;
                for (int i : groups[g]) out.put(i, s == 0 ? 0 : r.get(i) * s);
            }
            return;
        }
        int rows = (int) w.size(0), cols = (int) w.size(1);
        boolean byRow = grouping instanceof Grouping.Rows;
        for (int i = 0, k = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++, k++) {
                double s = factor[byRow ? i : j];
                if (s != 1) out.put(k, s == 0 ? 0 : r.get(k) * s);
            }
        }
    }

    /**
     * In place, {@link GroupProx#softThresholdi}: {@code w = sign(w)·max(|w| − t·f, 0)}; {@code f} has w's
     * dtype and length.
     */
    public static void softThresholdi(INDArray w, INDArray factors, double t) {
        if (t <= 0) return;
        int n = (int) w.length();
        if (w.dataType() == DataType.FLOAT) {
            FloatBuffer b = bytes(w).asFloatBuffer(), f = bytes(factors).asFloatBuffer();
            float tf = (float) t;
            for (int i = 0; i < n; i++) b.put(i, Prox.softThreshold(b.get(i), tf * f.get(i)));
        } else {
            DoubleBuffer b = bytes(w).asDoubleBuffer(), f = bytes(factors).asDoubleBuffer();
            for (int i = 0; i < n; i++) b.put(i, Prox.softThreshold(b.get(i), t * f.get(i)));
        }
        Reference.reachabilityFence(w);
        Reference.reachabilityFence(factors);
    }

    /** The bytes of a dense array: its allocation sliced at the view's offset, native order. */
    private static ByteBuffer bytes(INDArray a) {
        int width = a.dataType().width();
        return a.data().asNio().slice((int) (a.offset() * width), (int) (a.length() * width))
                .order(ByteOrder.nativeOrder());
    }
}
