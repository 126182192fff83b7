package io.ndopt.regularize;

import io.ndopt.internal.validate.Require;
import java.util.Arrays;
import java.util.Objects;

/**
 * The group-lasso penalty {@code λ · Σ_g c_g · ‖w_g‖₂} on one kind of grouping, with
 * {@code c_g = √|g|} unless per-group {@code weights} are given (they replace √|g|).
 * It is applied as a proximal step after the optimizer's update ({@link GroupProx}); whole groups
 * land on exact zeros.
 *
 * @param lambda   strength λ ≥ 0 (0 = off)
 * @param grouping rows, columns or explicit index groups
 * @param weights  per-group weights {@code c_g ≥ 0} replacing √|g|, or null for √|g|
 */
public record GroupLasso(double lambda, Grouping grouping, double[] weights) {
    /** No group penalty. */
    public static final GroupLasso NONE = new GroupLasso(0, Grouping.columns(), null);

    public GroupLasso {
        Require.finiteNonNegative("group_lasso lambda", lambda);
        Objects.requireNonNull(grouping, "group lasso grouping");
        if (weights != null) {
            weights = weights.clone();
            for (int g = 0; g < weights.length; g++) {
                Require.finiteNonNegative("group_lasso weights[" + g + "]", weights[g]);
            }
            if (grouping instanceof Grouping.Indices i && i.groups().length != weights.length) {
                throw new IllegalArgumentException("group_lasso: " + weights.length + " weights for "
                        + i.groups().length + " groups");
            }
        }
    }

    public static GroupLasso rows(double lambda) { return new GroupLasso(lambda, Grouping.rows(), null); }
    public static GroupLasso columns(double lambda) { return new GroupLasso(lambda, Grouping.columns(), null); }
    public static GroupLasso of(double lambda, Grouping grouping) { return new GroupLasso(lambda, grouping, null); }

    public GroupLasso withWeights(double... w) { return new GroupLasso(lambda, grouping, w); }

    @Override public double[] weights() { return weights == null ? null : weights.clone(); }

    public boolean active() { return lambda > 0; }

    /**
     * The per-group coefficients {@code c_g} for a tensor of this shape: the weights or √|g|, times
     * the per-group penalty factors when given (null = all 1).
     */
    public double[] coefficients(String param, long[] shape, double[] factors) {
        int n = grouping.count(param, shape);
        if (weights != null && weights.length != n) {
            throw new IllegalArgumentException("group_lasso: " + weights.length + " weights but parameter '" + param
                    + "' has " + n + " " + grouping);
        }
        if (factors != null && factors.length != n) {
            throw new IllegalArgumentException("penalty factors: " + factors.length + " group factors but parameter '"
                    + param + "' has " + n + " " + grouping);
        }
        double[] c = new double[n];
        for (int g = 0; g < n; g++) {
            c[g] = (weights != null ? weights[g] : Math.sqrt(grouping.size(shape, g))) * (factors != null
                    ? factors[g] : 1);
        }
        return c;
    }

    @Override public boolean equals(Object o) {
        return o instanceof GroupLasso g && g.lambda == lambda && g.grouping.equals(grouping)
                && Arrays.equals(g.weights, weights);
    }
    @Override public int hashCode() { return Objects.hash(lambda, grouping, Arrays.hashCode(weights)); }
    @Override public String toString() {
        return active() ? "group lasso " + lambda + " by " + grouping + (weights != null ? " (given weights)" : "")
                : "no group lasso";
    }
}
