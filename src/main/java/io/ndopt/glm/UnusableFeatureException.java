package io.ndopt.glm;

/**
 * A feature column that cannot be fitted in double precision whatever its scaling (its largest |value| is
 * subnormal, or, unstandardized, its squares overflow): the data's fault, named by the column.
 */
public final class UnusableFeatureException extends IllegalArgumentException {
    private final String feature;

    UnusableFeatureException(String feature, String why) {
        super("feature '" + feature + "' cannot be fitted: " + why + "; rescale the column");
        this.feature = feature;
    }

    /** The column's name in the {@link Design}. */
    public String feature() { return feature; }
}
