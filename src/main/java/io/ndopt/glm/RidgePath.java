package io.ndopt.glm;

import java.util.Arrays;

/**
 * Ridge in closed form. scikit-learn's {@code ‖y − Xw − b‖² + α‖w‖²} (weighted:
 * {@code Σwᵢrᵢ² + α‖w‖²}, weights as given) is, on the {@link Prepared} problem, the elastic net with
 * ρ = 0 and {@code λ = α/Σwᵢ}: {@code (G + λ·diag(v))β = c} with {@code G = X̃ᵀX̃/n},
 * {@code c = X̃ᵀỹ/n}. Solved by Cholesky per α in the primal (p×p) when p ≤ n or some feature is
 * unpenalized, else in the dual (n×n): {@code β = V⁻¹X̃ᵀ(X̃V⁻¹X̃ᵀ/n + λI)⁻¹ỹ/n}.
 * The non-negative variant has no closed form and runs coordinate descent.
 */
final class RidgePath {
    private RidgePath() {}

    /** The path over {@code alphas}, {@code count} told of each α solved. */
    static CoefPath fit(Prepared d, Design data, PathSpec spec, double[] alphas, FitCount count) {
        double wsum = d.weightSum;
        if (spec.nonNegative()) {
            double[] lam = alphas.clone();
            for (int k = 0; k < lam.length; k++) lam[k] /= wsum;
            CoefPath cd = ElasticNetPath.fit(d, data, spec, lam, ElasticNetPath.Mode.AUTO, count);
            return new CoefPath(spec, data.names(), alphas.clone(), cd.coef(), cd.intercept(), cd.gaps(), cd.sweeps(),
                    cd.converged());
        }
        int n = d.n, p = d.p, K = alphas.length;
        double[] v = spec.factors(p);
        boolean dual = p > n && Arrays.stream(v).allMatch(f -> f > 0);
        double[] g = dual ? kernel(d, v) : d.gram != null ? d.gram : Gram.compute(d.x, n, p);
        double[] c = d.xy;
        double[][] coef = new double[K][];
        double[] b = new double[K];
        for (int k = 0; k < K; k++) {
            double lam = alphas[k] / wsum;
            double[] beta;
            if (dual) {
                double[] a = g.clone(), rhs = new double[n];
                for (int i = 0; i < n; i++) { a[i * n + i] += lam; rhs[i] = d.y[i] / n; }
                double[] u = Cholesky.solve(a, n, rhs);
                beta = new double[p];
                for (int j = 0; j < p; j++) beta[j] = d.diag[j] == 0 ? 0 : NaiveEngine.dot(d.x, j * n, u, n) / v[j];
            } else {
                double[] a = g.clone();
                // a constant column: β_j = 0
                for (int j = 0; j < p; j++) a[j * p + j] += d.diag[j] == 0 ? 1 : lam * v[j];
                beta = Cholesky.solve(a, p, c);
            }
            coef[k] = d.originalCoef(beta);
            b[k] = d.intercept(coef[k]);
            count.fitted();
        }
        return new CoefPath(spec, data.names(), alphas.clone(), coef, b, new double[K], new int[K], filled(K));
    }

    /** {@code X̃V⁻¹X̃ᵀ/n}, n×n. */
    private static double[] kernel(Prepared d, double[] v) {
        int n = d.n;
        double[] k = new double[n * n];
        for (int j = 0; j < d.p; j++) {
            int o = j * n;
            double s = 1.0 / (v[j] * n);
            for (int a = 0; a < n; a++) {
                double xa = d.x[o + a] * s;
                if (xa == 0) continue;
                for (int bb = 0; bb <= a; bb++) k[a * n + bb] += xa * d.x[o + bb];
            }
        }
        for (int a = 0; a < n; a++) for (int bb = 0; bb < a; bb++) k[bb * n + a] = k[a * n + bb];
        return k;
    }

    private static boolean[] filled(int k) {
        boolean[] t = new boolean[k];
        Arrays.fill(t, true);
        return t;
    }
}
