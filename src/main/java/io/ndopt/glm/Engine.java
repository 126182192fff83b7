package io.ndopt.glm;

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

    /** {@code ‖r‖²/n}. */
    abstract double residualNorm2();

    /** {@code rᵀỹ/n}. */
    abstract double residualDotY();

    /** The exact coordinate minimizer (see the class doc). */
    static double update(double z, double l1, double denom, boolean positive) {
        if (z > l1) return (z - l1) / denom;
        if (z < -l1 && !positive) return (z + l1) / denom;
        return 0.0;
    }
}
