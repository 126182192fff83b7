package io.ndopt.glm;

import java.util.Arrays;

/**
 * How to fit a path.
 *
 * @param model          lasso, elastic net or ridge
 * @param l1Ratio        ρ of the elastic net (1 for lasso, 0 for ridge), in [0, 1]
 * @param standardize    penalize coefficients of features scaled to unit (weighted, population)
 *                       variance, as glmnet does by default and as scikit-learn does after a
 *                       {@code StandardScaler}; coefficients are always reported in the data's
 *                       original units. A constant feature gets coefficient 0.
 * @param tol            scikit-learn's {@code tol}: a λ is solved when the duality gap of the
 *                       {@code 1/(2n)} objective is at most {@code tol · Σ wᵢ(yᵢ − ȳ)² / Σ wᵢ}
 *                       (sklearn's {@code gap < tol·‖y‖²} in its {@code n}-scaled objective)
 * @param maxSweeps      limit of coordinate-descent sweeps per λ (sklearn's {@code max_iter})
 * @param nonNegative    constrain every coefficient to be ≥ 0 (sklearn's {@code positive=True})
 * @param penaltyFactors per-feature multipliers {@code v_j ≥ 0} of the whole penalty, used as
 *                       given (glmnet rescales them to sum to p; we do not): the penalty is
 *                       {@code α Σ v_j (ρ|w_j| + (1−ρ)/2·w_j²)}; 0 leaves a feature unpenalized.
 *                       {@code null} means all 1.
 */
public record PathSpec(Model model, double l1Ratio, boolean standardize, double tol, int maxSweeps,
                       boolean nonNegative, double[] penaltyFactors) {
    public PathSpec {
        if (model == null) throw new IllegalArgumentException("model is required");
        if (!(l1Ratio >= 0 && l1Ratio <= 1)) {
            throw new IllegalArgumentException("l1Ratio must be in [0, 1], got " + l1Ratio);
        }
        if (model == Model.LASSO && l1Ratio != 1) {
            throw new IllegalArgumentException("lasso has l1Ratio 1, got " + l1Ratio);
        }
        if (model == Model.RIDGE && l1Ratio != 0) {
            throw new IllegalArgumentException("ridge has l1Ratio 0, got " + l1Ratio);
        }
        if (model == Model.ELASTIC_NET && !(l1Ratio > 0)) {
            throw new IllegalArgumentException("elastic net needs l1Ratio > 0 (use ridge for l1Ratio 0), got "
                    + l1Ratio);
        }
        if (!(tol > 0) || !Double.isFinite(tol)) throw new IllegalArgumentException("tol must be > 0, got " + tol);
        if (maxSweeps < 1) throw new IllegalArgumentException("maxSweeps must be >= 1, got " + maxSweeps);
        if (penaltyFactors != null) {
            penaltyFactors = penaltyFactors.clone();
            boolean any = false;
            for (int j = 0; j < penaltyFactors.length; j++) {
                double v = penaltyFactors[j];
                if (!(v >= 0) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("penalty factor " + j + " must be finite and >= 0, got " + v);
                }
                any |= v > 0;
            }
            if (!any) throw new IllegalArgumentException("every penalty factor is 0: nothing to regularize");
        }
    }

    /** sklearn's defaults: {@code tol = 1e-4}, {@code max_iter = 1000}, standardized, unconstrained. */
    public static PathSpec lasso() { return new PathSpec(Model.LASSO, 1, true, 1e-4, 1000, false, null); }

    public static PathSpec elasticNet(double l1Ratio) {
        return new PathSpec(Model.ELASTIC_NET, l1Ratio, true, 1e-4, 1000, false, null);
    }

    public static PathSpec ridge() { return new PathSpec(Model.RIDGE, 0, true, 1e-4, 1000, false, null); }

    public PathSpec withStandardize(boolean s) {
        return new PathSpec(model, l1Ratio, s, tol, maxSweeps, nonNegative, penaltyFactors);
    }

    public PathSpec withTol(double t) {
        return new PathSpec(model, l1Ratio, standardize, t, maxSweeps, nonNegative, penaltyFactors);
    }

    public PathSpec withMaxSweeps(int m) {
        return new PathSpec(model, l1Ratio, standardize, tol, m, nonNegative, penaltyFactors);
    }

    public PathSpec withNonNegative(boolean b) {
        return new PathSpec(model, l1Ratio, standardize, tol, maxSweeps, b, penaltyFactors);
    }

    public PathSpec withPenaltyFactors(double[] v) {
        return new PathSpec(model, l1Ratio, standardize, tol, maxSweeps, nonNegative, v);
    }

    /** Penalty factor of feature j for a design with p features (checks the length once there). */
    double[] factors(int p) {
        if (penaltyFactors == null) { double[] v = new double[p]; Arrays.fill(v, 1.0); return v; }
        if (penaltyFactors.length != p) {
            throw new IllegalArgumentException(penaltyFactors.length + " penalty factors for " + p + " features");
        }
        return penaltyFactors.clone();
    }

    @Override public boolean equals(Object o) {
        return o instanceof PathSpec s && model == s.model && l1Ratio == s.l1Ratio && standardize == s.standardize
                && tol == s.tol && maxSweeps == s.maxSweeps && nonNegative == s.nonNegative
                && Arrays.equals(penaltyFactors, s.penaltyFactors);
    }

    @Override public int hashCode() {
        return model.hashCode() * 31 + Double.hashCode(l1Ratio) + Arrays.hashCode(penaltyFactors);
    }

    @Override public String toString() {
        return "PathSpec[" + model.cliName() + ", l1Ratio=" + l1Ratio + ", standardize=" + standardize + ", tol=" + tol
                + ", maxSweeps=" + maxSweeps + ", nonNegative=" + nonNegative + ", penaltyFactors="
                + (penaltyFactors == null ? "1" : Arrays.toString(penaltyFactors)) + "]";
    }
}
