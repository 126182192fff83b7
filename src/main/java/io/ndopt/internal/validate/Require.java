package io.ndopt.internal.validate;

/**
 * The range checks that option records share, so that the same mistake reads the same everywhere
 * ({@code "eps must be a finite number >= 0, got NaN"}). Each returns its argument, so a check can
 * sit inside an assignment.
 */
public final class Require {
    private Require() {}

    /**
     * {@code v} if it is a finite number {@code >= 0}; otherwise an IllegalArgumentException naming
     * {@code what} (NaN fails too: {@code !(v >= 0)} is true for NaN).
     */
    public static double finiteNonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + v);
        }
        return v;
    }

}
