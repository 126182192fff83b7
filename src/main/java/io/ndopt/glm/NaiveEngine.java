package io.ndopt.glm;

/**
 * Naive updates: keeps the residual {@code r = ỹ − X̃β}; an update of β_j reads column j once for
 * {@code x̃_jᵀr} and, if β_j moved, once more for {@code r −= δ·x̃_j}. O(n) per coordinate and no
 * p×p matrix, so it is the mode for p > n. {@link #refresh} is one pass over all of X.
 */
final class NaiveEngine extends Engine {
    private final double[] r;
    private double[] scratch;
    private final int n;

    NaiveEngine(Prepared d) {
        super(d);
        n = d.n;
        r = d.y.clone();
        refresh();
    }

    @Override double sweep(int[] set, int m, double[] l1, double[] l2, boolean positive) {
        double dmax = 0;
        double[] x = d.x;
        for (int t = 0; t < m; t++) {
            int j = set[t];
            double dj = d.diag[j];
            if (dj == 0) continue;
            int o = j * n;
            double qj = dot(x, o, r, n) / n;
            q[j] = qj;
            double old = beta[j];
            double nu = update(qj + dj * old, l1[j], dj + l2[j], positive);
            if (nu == old) continue;
            double delta = nu - old;
            beta[j] = nu;
            moved(j, delta);
            q[j] = qj - dj * delta;
            dmax = Math.max(dmax, dj * delta * delta);
        }
        return dmax;
    }

    /** {@code r −= δ·x̃_j}. */
    @Override void moved(int j, double delta) {
        int o = j * n;
        for (int i = 0; i < n; i++) r[i] -= delta * d.x[o + i];
    }

    /** One pass over the set's columns into a scratch residual instead of two {@link #assign}s. */
    @Override double objectiveIf(int[] set, int m, double[] values, double[] l1, double[] l2) {
        if (scratch == null) scratch = new double[n];
        System.arraycopy(r, 0, scratch, 0, n);
        double pen = 0;
        boolean[] seen = new boolean[d.p];
        for (int t = 0; t < m; t++) {
            int j = set[t];
            seen[j] = true;
            double v = values[t], delta = v - beta[j];
            pen += l1[j] * Math.abs(v) + 0.5 * l2[j] * v * v;
            if (delta == 0) continue;
            int o = j * n;
            for (int i = 0; i < n; i++) scratch[i] -= delta * d.x[o + i];
        }
        for (int j = 0; j < d.p; j++) {
            if (!seen[j] && beta[j] != 0) pen += l1[j] * Math.abs(beta[j]) + 0.5 * l2[j] * beta[j] * beta[j];
        }
        return 0.5 * dot(scratch, 0, scratch, n) / n + pen;
    }

    @Override void refresh() {
        for (int j = 0; j < d.p; j++) q[j] = d.diag[j] == 0 ? 0 : dot(d.x, j * n, r, n) / n;
    }

    /** Recomputes r from β; q keeps its values from the last {@link #refresh}. */
    @Override void resync() {
        System.arraycopy(d.y, 0, r, 0, n);
        for (int j = 0; j < d.p; j++) if (beta[j] != 0) moved(j, beta[j]);
    }

    @Override double residualNorm2() { return dot(r, 0, r, n) / n; }

    @Override double residualDotY() { return dot(r, 0, d.y, n) / n; }

    /** {@code a[o..o+n)·b[0..n)} with four partial sums (lets the CPU overlap the multiply-adds). */
    static double dot(double[] a, int o, double[] b, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[o + i] * b[i];
            s1 += a[o + i + 1] * b[i + 1];
            s2 += a[o + i + 2] * b[i + 2];
            s3 += a[o + i + 3] * b[i + 3];
        }
        for (; i < n; i++) s0 += a[o + i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }
}
