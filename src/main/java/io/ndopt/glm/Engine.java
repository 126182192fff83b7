package io.ndopt.glm;

import io.ndopt.regularize.Prox;

/**
 * Coordinate-descent state over one {@link Prepared} problem: the coefficients β (standardized
 * units) and the correlations {@code q_j = x̃_jᵀr/n} of every feature with the residual
 * {@code r = ỹ − X̃β}. One coordinate update is the exact minimizer along that coordinate:
 * <pre>  z = q_j + d_j·β_j,   β_j ← S(z, l1_j) / (d_j + l2_j)   (S = soft threshold; max(·, 0) when non-negative)</pre>
 * with {@code d_j = ‖x̃_j‖²/n}. Two implementations keep q up to date differently:
 * {@link CovarianceEngine} (Gram matrix, glmnet's "covariance updates", for n ≥ p) and
 * {@link NaiveEngine} (residual vector, for p > n).
 */
abstract class Engine {
    final Prepared d;
    final double[] beta;
    final double[] q;

    Engine(Prepared d) {
        this.d = d;
        beta = new double[d.p];
        q = new double[d.p];
    }

    /**
     * One cyclic pass over {@code set[0..m)}; returns {@code max d_j·Δβ_j²} (the size of the
     * largest step in objective units). Afterwards {@code q} is exact only on the set.
     */
    abstract double sweep(int[] set, int m, double[] l1, double[] l2, boolean positive);

    /** Makes {@code q} exact for every feature. */
    abstract void refresh();

    /** Recomputes the residual or correlations from β, dropping the rounding updates accumulated (once per λ). */
    abstract void resync();

    /** Sets {@code β[set[t]] = values[t]} for t &lt; m, keeping the residual or correlations in step. */
    final void assign(int[] set, int m, double[] values) {
        for (int t = 0; t < m; t++) {
            int j = set[t];
            double delta = values[t] - beta[j];
            if (delta == 0) continue;
            beta[j] = values[t];
            moved(j, delta);
        }
    }

    /** Brings the residual or the correlations in step with β_j having moved by {@code delta}. */
    abstract void moved(int j, double delta);

    /** The primal objective {@code ‖r‖²/(2n) + Σ l1_j|β_j| + Σ (l2_j/2)β_j²}. */
    double objective(double[] l1, double[] l2) {
        double s = 0.5 * residualNorm2();
        for (int j = 0; j < beta.length; j++) {
            double b = beta[j];
            if (b != 0) s += l1[j] * Math.abs(b) + 0.5 * l2[j] * b * b;
        }
        return s;
    }

    /** The objective if {@code β[set[t]]} were {@code values[t]}; leaves the state as it was. */
    double objectiveIf(int[] set, int m, double[] values, double[] l1, double[] l2) {
        double[] old = new double[m];
        for (int t = 0; t < m; t++) old[t] = beta[set[t]];
        assign(set, m, values);
        double f = objective(l1, l2);
        assign(set, m, old);
        return f;
    }

    /** {@code ‖r‖²/n}. */
    abstract double residualNorm2();

    /** {@code rᵀỹ/n}. */
    abstract double residualDotY();

    /** The exact coordinate minimizer (see the class doc). */
    static double update(double z, double l1, double denom, boolean positive) {
        double s = Prox.softThreshold(z, l1);
        if (s == 0 || (positive && s < 0)) return 0.0;      // 0 without dividing: denom may be 0
        return s / denom;
    }
}
