package io.ndopt.glm;

/**
 * Anderson extrapolation of coordinate-descent iterates (as in skglm, Bertrand &amp; Massias 2021):
 * after K+1 sweeps over a fixed set, with {@code U = [β₁−β₀, …, β_K−β_{K−1}]} solve
 * {@code (UᵀU)z = 1}, {@code c = z / Σz} and propose {@code Σ c_k β_k}. The caller keeps the proposal
 * only if it lowers the objective, so this can speed up but never spoil convergence; it pays off
 * where plain CD crawls (many strongly correlated active features, e.g. p &gt; n at small λ).
 */
final class Anderson {
    static final int K = 5;
    private final double[][] it;
    private int count, m;

    Anderson(int capacity) { it = new double[K + 1][capacity]; }

    void reset() { count = 0; }

    /** Stores β on {@code set[0..m)}; returns true when K+1 iterates are stored. */
    boolean record(double[] beta, int[] set, int m) {
        if (count == 0) this.m = m;
        double[] row = it[count++];
        for (int t = 0; t < m; t++) row[t] = beta[set[t]];
        return count == K + 1;
    }

    /** The extrapolated values on the set, or null when the system is singular. */
    double[] extrapolate() {
        double[][] c = new double[K][K];
        for (int a = 0; a < K; a++) {
            for (int b = a; b < K; b++) {
                double s = 0;
                for (int t = 0; t < m; t++) s += (it[a + 1][t] - it[a][t]) * (it[b + 1][t] - it[b][t]);
                c[a][b] = c[b][a] = s;
            }
        }
        double[] z = solve(c);
        if (z == null) return null;
        double sum = 0;
        for (double v : z) sum += v;
        if (!(Math.abs(sum) > 0) || !Double.isFinite(sum)) return null;
        double[] out = new double[m];
        for (int k = 0; k < K; k++) {
            double w = z[k] / sum;
            for (int t = 0; t < m; t++) out[t] += w * it[k + 1][t];
        }
        return out;
    }

    /** Gaussian elimination with partial pivoting on {@code c·z = 1}; null if (near-)singular. */
    private static double[] solve(double[][] c) {
        int k = c.length;
        double[][] a = new double[k][k + 1];
        double scale = 0;
        for (int i = 0; i < k; i++) {
            System.arraycopy(c[i], 0, a[i], 0, k);
            a[i][k] = 1;
            scale = Math.max(scale, c[i][i]);
        }
        if (!(scale > 0)) return null;
        for (int col = 0; col < k; col++) {
            int piv = col;
            for (int r = col + 1; r < k; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
            if (!(Math.abs(a[piv][col]) > 1e-14 * scale)) return null;
            double[] t = a[col]; a[col] = a[piv]; a[piv] = t;
            for (int r = col + 1; r < k; r++) {
                double f = a[r][col] / a[col][col];
                for (int q = col; q <= k; q++) a[r][q] -= f * a[col][q];
            }
        }
        double[] z = new double[k];
        for (int r = k - 1; r >= 0; r--) {
            double s = a[r][k];
            for (int q = r + 1; q < k; q++) s -= a[r][q] * z[q];
            z[r] = s / a[r][r];
        }
        return z;
    }
}
