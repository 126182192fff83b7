package io.ndopt.glm;

/**
 * The readable reference the fast path is tested against: scikit-learn's algorithm as written in
 * its {@code enet_coordinate_descent} — cyclic coordinate descent over every feature, the residual
 * kept explicitly, the duality gap computed after every sweep, warm-started from {@code beta}. No
 * screening, no Gram matrix, no working sets.
 */
final class ReferenceSolver {
    private ReferenceSolver() {}

    /** Minimizes the elastic net for one λ in place of {@code beta}; returns the sweeps used. */
    static int solve(Prepared d, double[] beta, double[] l1, double[] l2, boolean positive, double tolGap,
            int maxSweeps) {
        int n = d.n, p = d.p;
        double[] r = d.y.clone();
        for (int j = 0; j < p; j++) for (int i = 0; i < n; i++) r[i] -= beta[j] * d.x[j * n + i];
        double[] q = new double[p];
        for (int sweep = 1; sweep <= maxSweeps; sweep++) {
            for (int j = 0; j < p; j++) {
                if (d.diag[j] == 0) continue;
                double xr = 0;
                for (int i = 0; i < n; i++) xr += d.x[j * n + i] * r[i];
                double z = xr / n + d.diag[j] * beta[j];
                double nu = Engine.update(z, l1[j], d.diag[j] + l2[j], positive);
                double delta = nu - beta[j];
                beta[j] = nu;
                for (int i = 0; i < n; i++) r[i] -= delta * d.x[j * n + i];
            }
            double rr = 0, ry = 0;
            for (int i = 0; i < n; i++) { rr += r[i] * r[i]; ry += r[i] * d.y[i]; }
            for (int j = 0; j < p; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += d.x[j * n + i] * r[i];
                q[j] = s / n;
            }
            if (DualityGap.of(q, beta, l1, l2, positive, rr / n, ry / n) <= tolGap) return sweep;
        }
        return maxSweeps;
    }
}
