package io.ndopt.regularize;

import io.ndopt.internal.validate.Require;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Per-parameter penalty factors (glmnet's {@code penalty.factor}, the adaptive lasso): a
 * non-negative factor per weight multiplies that weight's L1 threshold, and a factor per group
 * multiplies that group's group-lasso coefficient. A factor of 0 leaves the weight (or group)
 * unpenalized by that term.
 *
 * @param perWeight L1 factors, one per element of the parameter (its shape), or null for all 1
 * @param perGroup  group-lasso factors, one per group of the parameter's grouping, or null for all 1
 */
public record PenaltyFactors(INDArray perWeight, double[] perGroup) {
    public PenaltyFactors {
        if (perWeight == null && perGroup == null) {
            throw new IllegalArgumentException("penalty factors: give per-weight or per-group factors");
        }
        if (perWeight != null) {
            if (BooleanIndexing.or(perWeight, Conditions.isNan())
                    || BooleanIndexing.or(perWeight, Conditions.isInfinite())
                    || BooleanIndexing.or(perWeight, Conditions.lessThan(0.0))) {
                throw new IllegalArgumentException("penalty factors: per-weight factors must be finite and >= 0");
            }
            perWeight = perWeight.dup();
        }
        if (perGroup != null) {
            perGroup = perGroup.clone();
            for (int g = 0; g < perGroup.length; g++) {
                Require.finiteNonNegative("penalty factors: group factor " + g, perGroup[g]);
            }
        }
    }

    public static PenaltyFactors perWeight(INDArray factors) { return new PenaltyFactors(factors, null); }
    public static PenaltyFactors perGroup(double... factors) { return new PenaltyFactors(null, factors); }

    @Override public double[] perGroup() { return perGroup == null ? null : perGroup.clone(); }
}
