package io.ndopt.glm;

/**
 * The duality gap scikit-learn uses to stop, for the {@code 1/(2n)}-scaled elastic net
 * {@code P(β) = ‖r‖²/(2n) + Σ l1_j|β_j| + Σ (l2_j/2)β_j²}. The elastic net is a lasso on the
 * augmented data {@code [X̃; diag(sqrt(n·l2))]}, whose residual is {@code [r; −sqrt(n·l2)β]}; the dual
 * point is that residual scaled by {@code c ≤ 1} until it is feasible ({@code |X̃ᵀr/n − l2_jβ_j| ≤ c⁻¹·l1_j}
 * for all j, one-sided when non-negative). Then, with {@code R = ‖r‖²/n}, {@code Ry = rᵀỹ/n}:
 * <pre>  gap = ½(1 + c²)·(R + Σ l2_jβ_j²) + Σ l1_j|β_j| − c·Ry</pre>
 * It bounds {@code P(β) − P(β*)} from above and is 0 exactly at the optimum. Unpenalized features
 * ({@code l1_j = 0}) are left out of the feasibility scaling: coordinate descent minimizes them
 * exactly on every sweep, and for the pure ridge case ({@code l1 ≡ 0}) the formula with c = 1 is 0
 * exactly at the optimum.
 */
final class DualityGap {
    private DualityGap() {}

    static double of(double[] q, double[] beta, double[] l1, double[] l2, boolean positive, double rNorm2,
            double rDotY) {
        double ratio = 0, l1n = 0, l2n = 0;
        for (int j = 0; j < q.length; j++) {
            double b = beta[j];
            if (l1[j] > 0) {
                double a = q[j] - l2[j] * b;
                ratio = Math.max(ratio, (positive ? a : Math.abs(a)) / l1[j]);
                l1n += l1[j] * Math.abs(b);
            }
            l2n += l2[j] * b * b;
        }
        double c = ratio > 1 ? 1 / ratio : 1;
        return 0.5 * (1 + c * c) * (rNorm2 + l2n) + l1n - c * rDotY;
    }
}
