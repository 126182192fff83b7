package io.ndopt.prune;

import io.ndopt.nn.Activation;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Dropout;
import io.ndopt.nn.Init;
import io.ndopt.nn.Layer;
import io.ndopt.nn.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finds and removes what structured sparsity made useless in a {@link Sequential} of {@link Dense}
 * layers ({@code W_k: [in, out]}), repeating until nothing changes:
 * <ul>
 *   <li>an input of layer k whose row of {@code W_k} is zero over the kept outputs is unread: an input
 *       feature (k = 0) or a unit of layer k − 1 is dropped;</li>
 *   <li>a hidden unit whose incoming column is zero over the kept inputs is constant,
 *       {@code a_j = act(b_j)}: its effect {@code a_j·W_{k+1}[j, :]} is added to the next bias and
 *       the unit is dropped.</li>
 * </ul>
 * The pruned network gives the same predictions (exactly for dropped unread units; to rounding where
 * a constant was folded into a bias). Hidden layers with softmax activation are left whole (their
 * units are not independent). {@link Dropout} layers are the identity at evaluation, so they are passed
 * through and the pruned network (built for prediction) has none. Reads the model through its public
 * API only; the model is unchanged.
 */
public final class Pruner {
    private final List<Dense> layers = new ArrayList<>();
    private final double[][][] w;
    private final double[][] b;
    /**
     * keep[k][i]: input i of layer k is kept (keep[k + 1] are the units of layer k; the last entry, the
     * outputs, all true).
     */
    private final boolean[][] keep;

    private Pruner(Sequential model) {
        for (Layer l : model.layers()) {
            // the identity at evaluation: the pruned network predicts without it
            if (l instanceof Dropout) continue;
            if (!(l instanceof Dense d)) {
                throw new IllegalArgumentException("prune: only networks of Dense layers can be pruned; layer '"
                        + l.name() + "' is a " + l.getClass().getSimpleName());
            }
            layers.add(d);
        }
        int n = layers.size();
        w = new double[n][][];
        b = new double[n][];
        keep = new boolean[n + 1][];
        for (int k = 0; k < n; k++) {
            Dense d = layers.get(k);
            w[k] = d.weight().value().castTo(DataType.DOUBLE).toDoubleMatrix();
            b[k] = d.bias().value().castTo(DataType.DOUBLE).toDoubleVector();
            keep[k] = all((int) d.inputs());
        }
        keep[n] = all((int) layers.get(n - 1).outputs());
        while (sweep()) { /* until nothing more is removed */ }
    }

    /** What {@link #prune} would remove, without building anything. */
    public static StructureReport report(Sequential model) { return new Pruner(model).structure(); }

    /** A smaller network with the same predictions (on the kept input columns). */
    public static Pruned prune(Sequential model) { return new Pruner(model).build(); }

    private boolean sweep() {
        boolean changed = false;
        for (int k = 0; k < layers.size(); k++) {
            boolean prevSoftmax = k > 0 && layers.get(k - 1).activation() == Activation.SOFTMAX;
            for (int i = 0; i < keep[k].length; i++) {
                if (keep[k][i] && !prevSoftmax && rowZero(k, i)) { keep[k][i] = false; changed = true; }
            }
            boolean hidden = k < layers.size() - 1;
            if (!hidden || layers.get(k).activation() == Activation.SOFTMAX) continue;
            for (int j = 0; j < keep[k + 1].length; j++) {
                if (keep[k + 1][j] && columnZero(k, j)) {
                    double a = layers.get(k).activation().forward(Nd4j.scalar(b[k][j]).reshape(1, 1)).getDouble(0);
                    // a_j·W_{k+1}[j, :] into the next bias
                    for (int m = 0; m < b[k + 1].length; m++) b[k + 1][m] += a * w[k + 1][j][m];
                    keep[k + 1][j] = false;
                    changed = true;
                }
            }
        }
        return changed;
    }

    private boolean rowZero(int k, int i) {
        for (int j = 0; j < w[k][i].length; j++) if (keep[k + 1][j] && w[k][i][j] != 0) return false;
        return true;
    }

    private boolean columnZero(int k, int j) {
        for (int i = 0; i < w[k].length; i++) if (keep[k][i] && w[k][i][j] != 0) return false;
        return true;
    }

    private StructureReport structure() {
        List<StructureReport.LayerUnits> units = new ArrayList<>();
        for (int k = 0; k + 1 < layers.size(); k++) {
            units.add(new StructureReport.LayerUnits(layers.get(k).name(), keep[k + 1].length, removed(keep[k + 1])));
        }
        return new StructureReport(keep[0].length, removed(keep[0]), units);
    }

    private Pruned build() {
        StructureReport report = structure();
        List<Dense> out = new ArrayList<>();
        int[][] kept = new int[keep.length][];
        for (int k = 0; k < keep.length; k++) kept[k] = keptOrPlaceholder(k);
        for (int k = 0; k < layers.size(); k++) {
            Dense d = layers.get(k);
            int[] rows = kept[k], cols = kept[k + 1];
            double[][] wk = new double[rows.length][cols.length];
            double[] bk = new double[cols.length];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < cols.length; j++) {
                    wk[i][j] = keep[k][rows[i]] && keep[k + 1][cols[j]] ? w[k][rows[i]][cols[j]] : 0;
                }
            }
            for (int j = 0; j < cols.length; j++) bk[j] = b[k][cols[j]];
            DataType dt = d.weight().dtype();
            Dense p = new Dense(d.name(), rows.length, cols.length, d.activation(), Init.XAVIER_UNIFORM, dt, 0);
            p.weight().setValue(Nd4j.createFromArray(wk).castTo(dt));
            p.bias().setValue(Nd4j.createFromArray(new double[][] {bk}).castTo(dt));
            out.add(p);
        }
        return new Pruned(new Sequential(out), kept[0], report);
    }

    /**
     * Kept indices of level k; if none is left, index 0 as a placeholder whose weights are zeroed in {@link #build}.
     */
    private int[] keptOrPlaceholder(int k) {
        int[] idx = IntStream.range(0, keep[k].length).filter(i -> keep[k][i]).toArray();
        return idx.length > 0 ? idx : new int[] {0};
    }

    private static List<Integer> removed(boolean[] kept) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < kept.length; i++) if (!kept[i]) r.add(i);
        return r;
    }

    private static boolean[] all(int n) {
        boolean[] a = new boolean[n];
        Arrays.fill(a, true);
        return a;
    }
}
