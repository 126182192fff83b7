package io.ndopt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ndopt.internal.gpusuite.Tolerance;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * "The fast path equals the reference": the one comparison every parity test uses (optimizer
 * fused vs reference, kernels, the network's workspace path, whole training runs, the device path).
 *
 * <h2>The bound</h2>
 * Element by element, the one rule of {@link Tolerance#holds} (shared with the GPU suite): within {@code rel}
 * of the larger magnitude or within {@code abs}, NaN only matching NaN. The default {@link Tolerance#parity}
 * is 1e-12 (float64) or 1e-5 (float32), relative above 1 and absolute below. In float64 exact zeros must
 * coincide as well: a zero on one path only fails even within the bound.
 *
 * <h2>The float32 tie rule</h2>
 * The two optimizer paths compute some step scalars by reductions summed in different orders (the
 * clipping norm, group norms), so in float32 they differ in the last bits. Where an element then sits
 * on a boundary within that rounding, the paths may legitimately disagree by more than the bound:
 * <ul>
 *   <li>the soft threshold: {@code |z|} within rounding of {@code t} gives exactly 0 on one path and a
 *       small value on the other;</li>
 *   <li>Adam's ε: a clipped gradient plus coupled L2 that cancels to {@code |d| ≲ ε} makes
 *       {@code m/(√v+ε)} ill-conditioned, and the disagreement stays in {@code m} and {@code v}.</li>
 * </ul>
 * So a comparison that declares {@code ties} (the caller's recipe has a soft threshold, or clips with
 * coupled L2) and holds float32 arrays may have up to {@link #MAX_TIES} <em>tied sites</em>. A site is
 * one element index of one parameter together with the same index of each of its state slots
 * ({@code name.slot}); a site is tied when any of those elements misses the bound. On a tied site every
 * element (value and each state slot) must still be within {@link #TIE_LIMIT} absolutely, NaN only
 * matching NaN. Nothing else is exempt: float64 never, a comparison without {@code ties} never, every
 * other site of a tied parameter is held to the bound. Parameters and state go through the same code,
 * and {@link #assertOptimizers} always checks both. Element-wise kernels fed the same step scalars on
 * both sides cannot tie, so kernel and network tests declare no ties.
 */
public final class Parity {
    /** The largest absolute difference of any element of a tied site. */
    public static final double TIE_LIMIT = 1e-3;
    /** The most tied sites one float32 comparison admits (over all parameters and state together). */
    public static final int MAX_TIES = 2;

    private Parity() {}

    /** One array pair by {@link Tolerance#parity} of its dtype, no ties. */
    public static void assertClose(INDArray ref, INDArray fast, String what) {
        assertClose(ref, fast, Tolerance.parity(ref.dataType() == DataType.FLOAT), what);
    }

    /** One array pair, {@code tol} relative (absolute below 1), no ties. */
    public static void assertClose(INDArray ref, INDArray fast, double tol, String what) {
        assertClose(ref, fast, new Tolerance(tol, tol, ref.dataType() == DataType.FLOAT), what);
    }

    /** One array pair under {@code bound}, no ties. */
    public static void assertClose(INDArray ref, INDArray fast, Tolerance bound, String what) {
        new Check(bound, false).array(what, ref, fast, what);
    }

    /**
     * The parameters and the whole state (same names, every slot, the step counters) of two optimizers
     * over equal models, by the rule above.
     *
     * @param ties the recipe has a soft threshold (L1, elastic net, group lasso) or clips with coupled L2
     */
    public static void assertOptimizers(Optimizer ref, Optimizer fast, boolean ties, String what) {
        DataType dt = ref.params().get(0).dtype();
        Check c = new Check(Tolerance.parity(dt == DataType.FLOAT), ties);
        c.params(ref.params(), fast.params(), what);
        c.state(ref.stateDict(), fast.stateDict(), what);
    }

    /**
     * Parameters and state given as lists ({@code state} entries named {@code param.slot}), one comparison
     * under {@code bound}.
     */
    public static void assertArrays(List<Param> ref, List<Param> fast, Map<String, INDArray> refState,
                                    Map<String, INDArray> fastState, Tolerance bound, boolean ties, String what) {
        Check c = new Check(bound, ties);
        c.params(ref, fast, what);
        c.state(refState, fastState, what);
    }

    /** The scalar form of the bound (losses, penalties). */
    public static void assertClose(double ref, double fast, double tol, String what) {
        assertEquals(ref, fast, tol * Math.max(1, Math.abs(ref)), what);
    }

    /** One comparison: the tie budget is shared by every array it checks. */
    private static final class Check {
        private final Tolerance bound;
        private final boolean ties;
        private final Map<String, String> tied = new LinkedHashMap<>();

        Check(Tolerance bound, boolean ties) {
            this.bound = bound;
            this.ties = ties;
        }

        void params(List<Param> ref, List<Param> fast, String what) {
            assertEquals(ref.size(), fast.size(), what + ": number of parameters");
            for (int i = 0; i < ref.size(); i++) {
                String name = ref.get(i).name();
                array(name, ref.get(i).value(), fast.get(i).value(), what + " " + name);
            }
        }

        void state(Map<String, INDArray> ref, Map<String, INDArray> fast, String what) {
            assertEquals(ref.keySet(), fast.keySet(), what + ": state entries");
            for (var e : ref.entrySet()) {
                String key = e.getKey(), param = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : key;
                array(param, e.getValue(), fast.get(key), what + " state " + key);
            }
        }

        void array(String site, INDArray ref, INDArray fast, String what) {
            assertArrayEquals(ref.shape(), fast.shape(), what + ": shape");
            DataType dt = ref.dataType();
            double[] r = doubles(ref), f = doubles(fast);
            for (int i = 0; i < r.length; i++) {
                if (dt == DataType.DOUBLE && (r[i] == 0) != (f[i] == 0)) {
                    throw new AssertionError(what + "[" + i + "]: exact zero on one path only (float64): ref " + r[i]
                            + ", fast " + f[i]);
                }
                if (bound.holds(r[i], f[i])) continue;
                String at = what + "[" + i + "]";
                if (ties && dt == DataType.FLOAT && Math.abs(r[i] - f[i]) <= TIE_LIMIT) {
                    tied.merge(site + "[" + i + "]", at + ": ref " + r[i] + ", fast " + f[i], (x, y) -> x + "; " + y);
                    if (tied.size() <= MAX_TIES) continue;
                    throw new AssertionError("more than " + MAX_TIES + " tied float32 sites: " + tied.values());
                }
                double allowed = bound.allowed(r[i], f[i]);
                assertEquals(r[i], f[i], allowed, at + (tied.isEmpty() ? "" : " (tied sites: " + tied.values() + ")"));
            }
        }

        private static double[] doubles(INDArray a) { return a.castTo(DataType.DOUBLE).ravel().toDoubleVector(); }
    }
}
