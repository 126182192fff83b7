package io.ndopt.internal.gpusuite;

/**
 * How close a GPU result must be to the CPU reference, element by element: equal, or within
 * {@code rel} of the larger magnitude, or within {@code abs}. Exact zeros must coincide
 * unless {@code zeroTies} (float32: a proximal threshold tie may round to a tiny value on one side,
 * which the absolute bound then covers).
 */
public record Tolerance(double rel, double abs, boolean zeroTies) {
    /**
     * float64: 1e-12 relative, or 1e-15 absolute (a few ulps of O(1) values: an element that cancels to
     * near zero keeps the absolute error of its inputs, e.g. from a clipping factor rounded differently
     * by two summation orders); zeros identical.
     */
    public static final Tolerance F64 = new Tolerance(1e-12, 1e-15, false);
    /** float32: 1e-5 relative or 1e-7 absolute, zero ties allowed. */
    public static final Tolerance F32 = new Tolerance(1e-5, 1e-7, true);

    public Tolerance {
        if (!(rel >= 0) || !(abs >= 0)) {
            throw new IllegalArgumentException("tolerances must be >= 0, got rel=" + rel + " abs=" + abs);
        }
    }

    public static Tolerance of(boolean float32) { return float32 ? F32 : F64; }

    /** The worst deviation of {@code actual} from {@code expected} and whether every element is within bounds. */
    public Comparison compare(double[] actual, double[] expected) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException("lengths differ: " + actual.length + " vs " + expected.length);
        }
        double maxRel = 0, maxAbs = 0;
        int bad = 0, firstBad = -1, zeroMismatch = 0, differing = 0;
        for (int i = 0; i < actual.length; i++) {
            double a = actual[i], e = expected[i];
            if (Double.compare(a, e) == 0 || a == e) continue;
            differing++;
            double d = Math.abs(a - e), scale = Math.max(Math.abs(a), Math.abs(e));
            maxAbs = Math.max(maxAbs, d);
            if (scale > 0) maxRel = Math.max(maxRel, d / scale);
            boolean zeroDiffers = (a == 0) != (e == 0);
            if (zeroDiffers) zeroMismatch++;
            boolean ok = d <= rel * scale || d <= abs;
            if (!ok || zeroDiffers && !zeroTies || Double.isNaN(a) != Double.isNaN(e)) {
                bad++;
                if (firstBad < 0) firstBad = i;
            }
        }
        return new Comparison(bad == 0, maxRel, maxAbs, differing, zeroMismatch, bad, firstBad);
    }

    /** The outcome of {@link #compare}: {@code differing} counts elements not bitwise equal. */
    public record Comparison(boolean passed, double maxRel, double maxAbs, int differing, int zeroMismatch, int bad,
            int firstBad) {
        public Comparison merge(Comparison o) {
            return new Comparison(passed && o.passed, Math.max(maxRel, o.maxRel), Math.max(maxAbs, o.maxAbs),
                    differing + o.differing,
                    zeroMismatch + o.zeroMismatch, bad + o.bad, firstBad >= 0 ? firstBad : o.firstBad);
        }

        public static Comparison identical() { return new Comparison(true, 0, 0, 0, 0, 0, -1); }
    }
}
