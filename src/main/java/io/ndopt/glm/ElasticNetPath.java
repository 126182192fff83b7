package io.ndopt.glm;

/**
 * Lasso / elastic-net path by coordinate descent, warm-started from one λ to the next (descending).
 * At each λ the sequential strong rule (Tibshirani et al. 2012) proposes the working set
 * {@code {j : |q_j(λ_prev)| ≥ ρ·v_j·(2λ − λ_prev)}} plus every feature already non-zero;
 * {@link CoordinateDescent} solves on it and verifies KKT on all features. Covariance updates
 * (Gram matrix) are used when n ≥ p and p ≤ {@value #MAX_GRAM_P}, residual updates otherwise.
 */
final class ElasticNetPath {
    static final int MAX_GRAM_P = 4096;

    /** Which engine to run (tests force each; {@link #AUTO} picks as described above). */
    enum Mode { AUTO, COVARIANCE, NAIVE, REFERENCE }

    private ElasticNetPath() {}

    static CoefPath fit(Design data, PathSpec spec, double[] alphas, Mode mode) {
        return fit(new Prepared(data, spec.standardize()), data, spec, alphas, mode, FitCount.none());
    }

    /** Whether {@link Mode#AUTO} runs on the Gram matrix for data of this shape. */
    static boolean covariance(int n, int p) { return n >= p && p <= MAX_GRAM_P; }

    /** The path over {@code alphas} (descending), {@code count} told of each α solved. */
    static CoefPath fit(Prepared d, Design data, PathSpec spec, double[] alphas, Mode mode, FitCount count) {
        if (mode == Mode.AUTO) mode = covariance(d.n, d.p) ? Mode.COVARIANCE : Mode.NAIVE;
        if (d.x == null && mode != Mode.COVARIANCE) {
            throw new IllegalStateException(mode + " needs X, prepared for the Gram matrix only");
        }
        int p = d.p, K = alphas.length;
        double rho = spec.l1Ratio();
        double[] v = spec.factors(p), l1 = new double[p], l2 = new double[p];
        double tolGap = spec.tol() * d.yy;
        Engine e = switch (mode) {
            case COVARIANCE -> new CovarianceEngine(d);
            case NAIVE -> new NaiveEngine(d);
            case REFERENCE -> null;
            case AUTO -> throw new IllegalStateException("resolve AUTO first");
        };
        double[] beta = e == null ? new double[p] : e.beta;
        double[][] coef = new double[K][];
        double[] b = new double[K], gaps = new double[K];
        int[] sweeps = new int[K];
        boolean[] conv = new boolean[K];
        boolean[] inSet = new boolean[p];
        double prev = alphas[0], innerTol = tolGap;
        for (int k = 0; k < K; k++) {
            double lam = alphas[k];
            for (int j = 0; j < p; j++) { l1[j] = lam * rho * v[j]; l2[j] = lam * (1 - rho) * v[j]; }
            if (e == null) {
                sweeps[k] = ReferenceSolver.solve(d, beta, l1, l2, spec.nonNegative(), tolGap, spec.maxSweeps());
                conv[k] = sweeps[k] < spec.maxSweeps();
                gaps[k] = Double.NaN;
            } else {
                e.resync();
                double strong = rho * (2 * lam - prev);
                for (int j = 0; j < p; j++) inSet[j] = beta[j] != 0 || v[j] == 0 || Math.abs(e.q[j]) >= strong * v[j];
                CoordinateDescent.Outcome o = CoordinateDescent.solve(e, inSet, l1, l2, spec.nonNegative(), tolGap,
                        spec.maxSweeps(), innerTol);
                // start the next λ where this one ended; loosen again when the first check already passed
                innerTol = o.checks() == 1 ? Math.min(tolGap, 10 * o.innerTol()) : o.innerTol();
                sweeps[k] = o.sweeps();
                gaps[k] = o.gap();
                conv[k] = o.converged();
            }
            coef[k] = d.originalCoef(beta);
            b[k] = d.intercept(coef[k]);
            prev = lam;
            count.fitted();
        }
        return new CoefPath(spec, data.names(), alphas.clone(), coef, b, gaps, sweeps, conv);
    }
}
