package io.ndopt.glm;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Regression data in the layout the solvers want: {@code x} column-major ({@code x[j*n + i]} is
 * row i of feature j), target {@code y}, and sample weights ({@code null} means every row weighs
 * 1). Weights are relative: only their ratios matter (they are rescaled to sum to n, as
 * scikit-learn does), so {@code w} and {@code 2w} give the same fit.
 */
public record Design(double[] x, int n, int p, double[] y, double[] weights, List<String> names) {
    public Design {
        if (n < 2) throw new IllegalArgumentException("need at least 2 rows, got " + n);
        if (p < 1) throw new IllegalArgumentException("need at least 1 feature, got " + p);
        if (x.length != (long) n * p) {
            throw new IllegalArgumentException("x has " + x.length + " values, expected n*p = " + (long) n * p);
        }
        if (y.length != n) throw new IllegalArgumentException("y has " + y.length + " values, expected n = " + n);
        if (names.size() != p) {
            throw new IllegalArgumentException(names.size() + " feature names for " + p + " features");
        }
        for (int k = 0; k < x.length; k++) {
            if (!Double.isFinite(x[k])) {
                throw new IllegalArgumentException("non-finite x at row " + k % n + ", feature " + names.get(k / n));
            }
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(y[i])) throw new IllegalArgumentException("non-finite y at row " + i);
        }
        if (weights != null) {
            if (weights.length != n) {
                throw new IllegalArgumentException(weights.length + " sample weights for " + n + " rows");
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                if (!(weights[i] >= 0) || !Double.isFinite(weights[i])) {
                    throw new IllegalArgumentException("sample weight " + i
                            + " must be finite and >= 0, got " + weights[i]);
                }
                sum += weights[i];
            }
            if (!(sum > 0)) throw new IllegalArgumentException("sample weights sum to 0");
        }
        names = List.copyOf(names);
    }

    /** From rows ({@code rows[i][j]}), features named x0, x1, …. */
    public static Design ofRows(double[][] rows, double[] y) {
        int p = rows.length == 0 ? 0 : rows[0].length;
        return ofRows(rows, y, null, IntStream.range(0, p).mapToObj(j -> "x" + j).toList());
    }

    public static Design ofRows(double[][] rows, double[] y, double[] weights, List<String> names) {
        int n = rows.length, p = names.size();
        double[] x = new double[n * p];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != p) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + p);
            }
            for (int j = 0; j < p; j++) x[j * n + i] = rows[i][j];
        }
        return new Design(x, n, p, y.clone(), weights == null ? null : weights.clone(), names);
    }

    public Design withWeights(double[] w) { return new Design(x, n, p, y, w == null ? null : w.clone(), names); }

    public double x(int i, int j) { return x[j * n + i]; }

    /** Weight of row i (1 when unweighted). */
    public double weight(int i) { return weights == null ? 1.0 : weights[i]; }

    /** The rows listed in {@code idx}, in that order. */
    public Design rows(int[] idx) {
        int m = idx.length;
        double[] xs = new double[m * p], ys = new double[m];
        for (int j = 0; j < p; j++) {
            int src = j * n, dst = j * m;
            for (int k = 0; k < m; k++) xs[dst + k] = x[src + idx[k]];
        }
        for (int k = 0; k < m; k++) ys[k] = y[idx[k]];
        double[] ws = null;
        if (weights != null) {
            ws = new double[m];
            for (int k = 0; k < m; k++) ws[k] = weights[idx[k]];
        }
        return new Design(xs, m, p, ys, ws, names);
    }

    @Override public String toString() {
        return "Design[n=" + n + ", p=" + p + ", weighted=" + (weights != null) + ", features=" + names + "]";
    }

    @Override public boolean equals(Object o) {
        return o instanceof Design d && n == d.n && p == d.p && Arrays.equals(x, d.x) && Arrays.equals(y, d.y)
                && Arrays.equals(weights, d.weights) && names.equals(d.names);
    }
    @Override public int hashCode() { return Arrays.hashCode(y) * 31 + n * 7 + p; }
}
