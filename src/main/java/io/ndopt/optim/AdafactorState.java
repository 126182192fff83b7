package io.ndopt.optim;

import io.ndopt.internal.device.DeviceFamily;
import io.ndopt.internal.kernel.KernelScalars;
import io.ndopt.param.Param;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adafactor's per-parameter state ({@link Rule.Adafactor}): for a matrix the row statistic {@code row_var}
 * (A×1) and the column statistic {@code col_var} (1×B), for anything else {@code variance} of the parameter's shape;
 * saved as {@code <param>.row_var}, {@code <param>.col_var} or {@code <param>.variance} with those shapes. As in
 * PyTorch, a parameter of more dimensions {@code (…, A, B)} is a batch of A×B matrices, with {@code row_var}
 * {@code (…, A, 1)} and {@code col_var} {@code (…, 1, B)}. Leading dimensions of size 1 are dropped first, so a
 * parameter stored as {@code [1, n]} (ND4J's bias rows; PyTorch's biases are vectors) is a vector.
 */
final class AdafactorState {
    private final Rule.Adafactor rule;
    /** Per parameter: the variance, or row and column statistics as N×A×1 and N×1×B (N matrices). */
    private final Map<Param, Rule.Adafactor.State> state = new IdentityHashMap<>();
    /** Per factored parameter: the saved shapes of row_var and col_var, (…, A, 1) and (…, 1, B). */
    private final Map<Param, long[][]> savedShapes = new IdentityHashMap<>();
    private final List<Param> params;

    AdafactorState(Rule.Adafactor rule, List<Param> params) {
        this.rule = rule;
        this.params = params;
        for (Param p : params) {
            long[] s = squeezed(p.shape());
            if (s.length < 2) {
                state.put(p, new Rule.Adafactor.State(null, null, Nd4j.zeros(p.dtype(), p.shape())));
            } else {
                long[] row = s.clone(), col = s.clone(), m = matrixShape(p);
                row[s.length - 1] = 1;
                col[s.length - 2] = 1;
                savedShapes.put(p, new long[][] {row, col});
                state.put(p, new Rule.Adafactor.State(Nd4j.zeros(p.dtype(), m[0], m[1], 1),
                        Nd4j.zeros(p.dtype(), m[0], 1, m[2]), null));
            }
        }
    }

    /** N, A, B when the parameter is factored (leading dimensions of size 1 dropped), else null. */
    private static long[] matrixShape(Param p) {
        long[] s = squeezed(p.shape());
        if (s.length < 2) return null;
        long n = 1;
        for (int i = 0; i < s.length - 2; i++) n *= s[i];
        return new long[] {n, s[s.length - 2], s[s.length - 1]};
    }

    private static long[] squeezed(long[] shape) {
        int i = 0;
        while (i < shape.length - 1 && shape[i] == 1) i++;
        return Arrays.copyOfRange(shape, i, shape.length);
    }

    /** The segment's step, parameter by parameter (α, RMS(U) and the factored moments are per parameter). */
    void apply(Segment seg, StepScalars s) {
        for (Param p : seg.params()) {
            if (p.length() == 0) continue;
            long[] m = matrixShape(p);
            Rule.Adafactor.State st = state.get(p);
            if (m == null) {
                ReferenceUpdate.adafactor(rule, s, p.value(), p.grad(), st);
                continue;
            }
            INDArray w = p.value().reshape('c', m), g = p.grad().reshape('c', m);
            ReferenceUpdate.adafactor(rule, s, w, g, st);
            if (!sameBuffer(w, p.value())) p.value().assign(w.reshape('c', p.shape()));
        }
    }

    /** Each parameter's state buffers on the device (row, col or variance), once {@link #attach}ed. */
    private final Map<Param, long[]> onDevice = new IdentityHashMap<>();

    /** Mirrors every parameter's state on the device of {@code d} (kept in step by its state transfers). */
    void attach(DeviceStep d) {
        for (Param p : params) {
            List<String> names = names(p);
            INDArray[] arrays = arrays(state.get(p));
            long[] ptr = new long[arrays.length];
            for (int i = 0; i < ptr.length; i++) ptr[i] = d.mirror(arrays[i], p.name() + "." + names.get(i));
            onDevice.put(p, ptr);
        }
    }

    /** The step of segment {@code i} on the device, parameter by parameter, as {@link #apply}. */
    void applyOnDevice(DeviceStep d, int i, Segment seg, StepScalars s) {
        for (Param p : seg.params()) {
            if (p.length() == 0) continue;
            long[] m = matrixShape(p), ptr = onDevice.get(p);
            double t = s.t();
            int flags = (s.decayFactor() != 1 ? KernelScalars.DECAY : 0) | (s.l2() != 0 ? KernelScalars.L2 : 0)
                    | (s.threshold() > 0 ? KernelScalars.PROX : 0);
            d.family().adafactor(new DeviceFamily.Adafactor(p.dtype(), d.values(i, p), d.grads(i, p),
                    m == null ? 0 : ptr[0], m == null ? 0 : ptr[1], m == null ? ptr[0] : 0,
                    m == null ? 1 : m[0], m == null ? 1 : m[1], m == null ? p.length() : m[2],
                    s.gradScale(), s.l2(), s.decayFactor(), s.threshold(), Math.pow(t, rule.beta2Decay()),
                    Math.min(s.lr(), 1 / Math.sqrt(t)), rule.eps1(p.dtype()), rule.eps2(), rule.clip(), flags));
        }
    }

    private static boolean sameBuffer(INDArray a, INDArray b) {
        return a.data() == b.data() && a.offset() == b.offset();
    }

    void export(Map<String, INDArray> out) {
        for (Param p : params) {
            Rule.Adafactor.State st = state.get(p);
            List<String> names = names(p);
            INDArray[] arrays = arrays(st);
            for (int i = 0; i < names.size(); i++) out.put(p.name() + "." + names.get(i), saved(p, i, arrays[i]));
        }
    }

    int entries() {
        return params.stream().mapToInt(p -> names(p).size()).sum();
    }

    /** Checks every entry this class owns (present, shape, dtype); writes nothing. */
    void check(Map<String, INDArray> in) {
        for (Param p : params) {
            List<String> names = names(p);
            INDArray[] arrays = arrays(state.get(p));
            for (int i = 0; i < names.size(); i++) {
                String key = p.name() + "." + names.get(i);
                INDArray a = in.get(key);
                if (a == null) throw new IllegalArgumentException("optimizer state: missing '" + key + "'");
                long[] want = saved(p, i, arrays[i]).shape();
                if (!Arrays.equals(a.shape(), want) || a.dataType() != arrays[i].dataType()) {
                    throw new IllegalArgumentException("optimizer state: '" + key + "' has shape "
                            + Arrays.toString(a.shape()) + " " + a.dataType() + ", expected "
                            + Arrays.toString(want) + " " + arrays[i].dataType());
                }
            }
        }
    }

    void restore(Map<String, INDArray> in) {
        for (Param p : params) {
            List<String> names = names(p);
            INDArray[] arrays = arrays(state.get(p));
            for (int i = 0; i < names.size(); i++) {
                arrays[i].assign(in.get(p.name() + "." + names.get(i)).reshape('c', arrays[i].shape()));
            }
        }
    }

    /** State array {@code i} of {@code p} as saved: a copy, factored statistics in PyTorch's shapes. */
    private INDArray saved(Param p, int i, INDArray a) {
        long[][] shapes = savedShapes.get(p);
        return shapes == null ? a.dup() : a.dup('c').reshape('c', shapes[i]);
    }

    private List<String> names(Param p) { return matrixShape(p) != null ? List.of("row_var", "col_var") : List.of("variance"); }

    private static INDArray[] arrays(Rule.Adafactor.State st) {
        return st.v() == null ? new INDArray[] {st.row(), st.col()} : new INDArray[] {st.v()};
    }
}
