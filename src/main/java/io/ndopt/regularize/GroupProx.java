package io.ndopt.regularize;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The proximal operators of the structured penalties, written with ordinary ND4J ops one group at a
 * time: the readable reference that {@link FlatGroupProx} is tested against.
 *
 * <p>Group soft threshold, the prox of {@code t·c_g·‖w_g‖₂} for each (disjoint) group:
 * <pre>
 * argmin_w (1/2)‖w − z‖² + t·Σ_g c_g‖w_g‖₂   =   w_g = max(0, 1 − t·c_g / ‖z_g‖₂) · z_g
 * </pre>
 * A group with {@code ‖z_g‖₂ ≤ t·c_g} becomes exactly 0 (a zero group stays 0); any other group keeps
 * its direction and its norm shrinks by exactly {@code t·c_g}. Elements in no group are untouched.
 */
public final class GroupProx {
    private GroupProx() {}

    /**
     * The factor {@code max(0, 1 − threshold / norm)} a group of norm {@code norm} is multiplied by (0
     * when the norm is 0).
     */
    public static double scale(double norm, double threshold) {
        if (threshold <= 0) return 1;
        if (norm <= threshold) return 0;
        return 1 - threshold / norm;
    }

    /**
     * In place: every group of {@code w} shrunk by its threshold {@code t·c[g]}.
     *
     * @param c per-group coefficients (√|g|, or given weights, times penalty factors)
     */
    public static void groupShrinki(INDArray w, Grouping grouping, double[] c, double t) {
        if (t <= 0 || w.isEmpty()) return;
        if (grouping instanceof Grouping.Indices ix) {
            INDArray flat = w.ravel().dup();                                   // c-order copy
            for (int g = 0; g < c.length; g++) {
                INDArray z = flat.get(NDArrayIndex.indices(toLong(ix.groups()[g])));
                double s = scale(z.norm2Number().doubleValue(), t * c[g]);
                for (int i : ix.groups()[g]) flat.putScalar(i, s == 0 ? 0 : flat.getDouble(i) * s);
            }
            w.assign(flat.reshape('c', w.shape()));
        } else {
            for (int g = 0; g < c.length; g++) shrinkView(group(w, grouping, g), t * c[g]);
        }
    }

    private static void shrinkView(INDArray group, double threshold) {
        double s = scale(group.norm2Number().doubleValue(), threshold);
        if (s == 0) group.assign(0);
        else if (s != 1) group.muli(Nd4j.scalar(group.dataType(), s));  // as an array: ND4J reads a NaN scalar as 1e-5
    }

    /**
     * In place, the prox of {@code t·Σ f_i|w_i|}: {@code w = sign(w)·max(|w| − t·f, 0)} (per-weight
     * penalty factors {@code f}, same shape as {@code w}; {@code f_i = 0} leaves {@code w_i} alone).
     */
    public static void softThresholdi(INDArray w, INDArray factors, double t) {
        if (t <= 0 || w.isEmpty()) return;
        INDArray tf = factors.mul(t);                      // w − clamp(w, −t·f, t·f): NaN stays NaN
        w.subi(Transforms.min(Transforms.max(w, tf.neg(), true), tf, false));
    }

    /** {@code Σ_g c_g·‖w_g‖₂}, the value of the group penalty without λ. */
    public static double groupNorms(INDArray w, Grouping grouping, double[] c) {
        double sum = 0;
        for (int g = 0; g < c.length; g++) {
            sum += c[g] * group(w, grouping, g).norm2Number().doubleValue();
        }
        return sum;
    }

    /** Group {@code g} of {@code w}: a view for rows and columns, a copy for index groups. */
    private static INDArray group(INDArray w, Grouping grouping, int g) {
        if (grouping instanceof Grouping.Rows) return w.getRow(g);
        if (grouping instanceof Grouping.Columns) return w.getColumn(g);
        return w.ravel().get(NDArrayIndex.indices(toLong(((Grouping.Indices) grouping).groups()[g])));
    }

    private static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return l;
    }
}
