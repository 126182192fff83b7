package io.ndopt.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Features {@code x: [n, p]} and targets {@code y: [n, k]} (one-hot rows for classification).
 *
 * @param classes number of classes, or 0 for regression
 */
public record Dataset(INDArray x, INDArray y, int classes) {
    public Dataset {
        if (x.rank() != 2 || y.rank() != 2 || x.rows() != y.rows()) {
            throw new IllegalArgumentException("dataset: x " + Arrays.toString(x.shape()) + " and y "
                    + Arrays.toString(y.shape()) + " must be 2-D with the same number of rows");
        }
    }

    public int size() { return (int) x.rows(); }
    public int features() { return (int) x.columns(); }
    public int outputs() { return (int) y.columns(); }

    public static Dataset of(double[][] x, double[] y, DataType dtype) {
        return new Dataset(Nd4j.createFromArray(x).castTo(dtype),
                Nd4j.createFromArray(y).reshape(y.length, 1).castTo(dtype), 0);
    }

    /** Classification data from integer labels: one column (0/1) for two classes, else one-hot. */
    public static Dataset classification(double[][] x, int[] labels, int classes, DataType dtype) {
        INDArray y;
        if (classes == 2) {
            y = Nd4j.createFromArray(Arrays.stream(labels).asDoubleStream().toArray()).reshape(labels.length, 1);
        } else {
            double[][] oh = new double[labels.length][classes];
            for (int i = 0; i < labels.length; i++) oh[i][labels[i]] = 1;
            y = Nd4j.createFromArray(oh);
        }
        return new Dataset(Nd4j.createFromArray(x).castTo(dtype), y.castTo(dtype), classes);
    }

    /**
     * The same rows with one-hot targets ({@code classes} columns): a two-class dataset's 0/1 column becomes
     * two columns, as a softmax over one logit per class needs. Returns this dataset when it already is.
     */
    public Dataset oneHot() {
        if (classes < 2) throw new IllegalArgumentException("one-hot targets need a classification dataset");
        if (outputs() == classes) return this;
        int[] lab = labels();
        INDArray oh = Nd4j.zeros(y.dataType(), lab.length, classes);
        for (int i = 0; i < lab.length; i++) oh.putScalar(i, lab[i], 1.0);
        return new Dataset(x, oh, classes);
    }

    public Dataset rows(int[] idx) {
        return new Dataset(Nd4j.pullRows(x, 1, idx), Nd4j.pullRows(y, 1, idx), classes);
    }

    public Dataset castTo(DataType dt) { return new Dataset(x.castTo(dt), y.castTo(dt), classes); }

    /** A seeded permutation of 0..n−1 (Fisher–Yates). */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Shuffled split: the first part gets {@code 1 − fraction} of the rows, the second {@code fraction}. */
    public Dataset[] split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split fraction must be in (0, 1), got " + fraction);
        }
        int[] perm = permutation(size(), seed);
        int nVal = Math.max(1, (int) Math.round(size() * fraction));
        if (nVal >= size()) throw new IllegalArgumentException("split leaves no training rows (" + size() + " rows)");
        return new Dataset[] {rows(Arrays.copyOfRange(perm, nVal, size())), rows(Arrays.copyOfRange(perm, 0, nVal))};
    }

    /** Label of each row: argmax of one-hot rows, or the rounded 0/1 column. */
    public int[] labels() {
        return labelsOf(y);
    }

    /** Per-row class of a [n, k] array: argmax for k > 1, {@code value > 0.5} for one column. */
    public static int[] labelsOf(INDArray scores) {
        if (scores.columns() == 1) {
            double[] v = scores.ravel().toDoubleVector();
            int[] out = new int[v.length];
            for (int i = 0; i < v.length; i++) out[i] = v[i] > 0.5 ? 1 : 0;
            return out;
        }
        return scores.argMax(1).toIntVector();
    }
}
