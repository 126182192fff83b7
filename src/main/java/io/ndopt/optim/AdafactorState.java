package io.ndopt.optim;

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
 * saved as {@code <param>.row_var}, {@code <param>.col_var} or {@code <param>.variance} with those shapes. A
 * parameter stored as {@code [1, n]} (ND4J's bias rows) is a vector; more than two dimensions of size above one are
 * refused at build time.
 */
final class AdafactorState {
    private final Rule.Adafactor rule;
    private final Map<Param, Rule.Adafactor.State> state = new IdentityHashMap<>();
    private final List<Param> params;

    AdafactorState(Rule.Adafactor rule, List<Param> params) {
        this.rule = rule;
        this.params = params;
        for (Param p : params) {
            long[] m = matrixShape(p);
            state.put(p, m == null ? new Rule.Adafactor.State(null, null, Nd4j.zeros(p.dtype(), p.shape()))
                    : new Rule.Adafactor.State(Nd4j.zeros(p.dtype(), m[0], 1), Nd4j.zeros(p.dtype(), 1, m[1]), null));
        }
    }

    /** Refuses a parameter Adafactor cannot factor (more than two dimensions above one), by name. */
    static void check(List<ParamGroup> groups) {
        for (ParamGroup g : groups) {
            for (Param p : g.params()) {
                if (squeezed(p.shape()).length > 2) {
                    throw new IllegalArgumentException("Adafactor: parameter '" + p.name() + "' has shape "
                            + Arrays.toString(p.shape()) + "; it factors matrices only (vectors keep a full second"
                            + " moment), and batched factoring of more dimensions is not implemented");
                }
            }
        }
    }

    /** A×B when the parameter is a matrix (leading dimensions of size 1 dropped), else null. */
    private static long[] matrixShape(Param p) {
        long[] s = squeezed(p.shape());
        return s.length == 2 ? s : null;
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
            INDArray w = m == null ? p.value() : p.value().reshape(m[0], m[1]);
            INDArray g = m == null ? p.grad() : p.grad().reshape(m[0], m[1]);
            ReferenceUpdate.adafactor(rule, s, w, g, state.get(p));
            if (w != p.value() && !sameBuffer(w, p.value())) p.value().assign(w.reshape(p.shape()));
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
            for (int i = 0; i < names.size(); i++) out.put(p.name() + "." + names.get(i), arrays[i].dup());
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
                if (!Arrays.equals(a.shape(), arrays[i].shape()) || a.dataType() != arrays[i].dataType()) {
                    throw new IllegalArgumentException("optimizer state: '" + key + "' has shape "
                            + Arrays.toString(a.shape()) + " " + a.dataType() + ", expected "
                            + Arrays.toString(arrays[i].shape()) + " " + arrays[i].dataType());
                }
            }
        }
    }

    void restore(Map<String, INDArray> in) {
        for (Param p : params) {
            List<String> names = names(p);
            INDArray[] arrays = arrays(state.get(p));
            for (int i = 0; i < names.size(); i++) arrays[i].assign(in.get(p.name() + "." + names.get(i)));
        }
    }

    private List<String> names(Param p) { return matrixShape(p) != null ? List.of("row_var", "col_var") : List.of("variance"); }

    private static INDArray[] arrays(Rule.Adafactor.State st) {
        return st.v() == null ? new INDArray[] {st.row(), st.col()} : new INDArray[] {st.v()};
    }
}
