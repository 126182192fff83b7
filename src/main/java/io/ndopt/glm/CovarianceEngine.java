package io.ndopt.glm;

/**
 * Covariance updates: with {@code G = X̃ᵀX̃/n} and {@code c = X̃ᵀỹ/n}, the correlations satisfy
 * {@code q = c − Gβ}, so changing β_j by δ costs one length-p update {@code q −= δ·G[:, j]} and no
 * pass over the n rows. Every q stays exact (so the KKT check and the duality gap are O(p)), and
 * {@code ‖r‖²/n = ‖ỹ‖²/n − βᵀc − βᵀq}, {@code rᵀỹ/n = ‖ỹ‖²/n − βᵀc}.
 */
final class CovarianceEngine extends Engine {
    private final double[] g, c;
    private final int p;

    CovarianceEngine(Prepared d) {
        super(d);
        p = d.p;
        g = d.gram != null ? d.gram : Gram.compute(d.x, d.n, d.p);
        c = d.xy;
        System.arraycopy(c, 0, q, 0, p);
    }

    @Override double sweep(int[] set, int m, double[] l1, double[] l2, boolean positive) {
        double dmax = 0;
        for (int t = 0; t < m; t++) {
            int j = set[t];
            double dj = d.diag[j];
            if (dj == 0) continue;
            double old = beta[j];
            double nu = update(q[j] + dj * old, l1[j], dj + l2[j], positive);
            if (nu == old) continue;
            double delta = nu - old;
            beta[j] = nu;
            moved(j, delta);
            dmax = Math.max(dmax, dj * delta * delta);
        }
        return dmax;
    }

    /** {@code q −= δ·G[:, j]}. */
    @Override void moved(int j, double delta) {
        int o = j * p;
        for (int k = 0; k < p; k++) q[k] -= delta * g[o + k];
    }

    /** Nothing to do: every update keeps all of q exact (up to rounding, which {@link #resync} drops). */
    @Override void refresh() {}

    /** Recomputes {@code q = c − Gβ} from scratch. */
    @Override void resync() {
        System.arraycopy(c, 0, q, 0, p);
        for (int j = 0; j < p; j++) if (beta[j] != 0) moved(j, beta[j]);
    }

    @Override double residualNorm2() {
        double s = d.yy;
        for (int j = 0; j < p; j++) if (beta[j] != 0) s -= beta[j] * (c[j] + q[j]);
        return Math.max(s, 0.0);
    }

    @Override double residualDotY() {
        double s = d.yy;
        for (int j = 0; j < p; j++) if (beta[j] != 0) s -= beta[j] * c[j];
        return s;
    }
}
