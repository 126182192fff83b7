package io.ndopt.internal.gpusuite;

/**
 * The one element-wise closeness rule of ndopt's parity checks — the tests' {@code Parity} (fused vs
 * reference on the CPU) and the GPU suite (device vs CPU) both decide each element with {@link #holds}:
 * equal, or within {@code rel} of the larger magnitude, or within {@code abs}; NaN matches only NaN;
 * exact zeros must coincide unless {@code zeroTies} (float32: a proximal threshold tie may round to a tiny
 * value on one side, which the absolute bound then covers).
 *
 * <p>The bounds differ by what is compared, and only there. {@link #F64}/{@link #F32} (GPU vs CPU) hold
 * the same kernels' arithmetic on both sides, so the absolute floor is a few ulps. {@link #parity} (the
 * CPU's fused kernels vs the readable ND4J reference) compares two different op sequences, whose clipping
 * and group norms are summed in different orders: the floor is {@code rel} itself (relative above 1,
 * absolute below), since e.g. AdamW with elastic net, warmup and clipping differs by 2.5e-12 relative at
 * |w| ≈ 0.009 in float64.
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

    /** The CPU fused-vs-reference bound: 1e-12 (float64) or 1e-5 (float32), relative above 1 and absolute below. */
    public static Tolerance parity(boolean float32) { return float32 ? new Tolerance(1e-5, 1e-5, true)
            : new Tolerance(1e-12, 1e-12, false); }

    /** Whether {@code actual} is close enough to {@code expected} (the rule of the class comment). */
    public boolean holds(double expected, double actual) {
        if (Double.compare(actual, expected) == 0 || actual == expected) return true;
        if (Double.isNaN(actual) || Double.isNaN(expected)) return false;
        if ((actual == 0) != (expected == 0) && !zeroTies) return false;
        double d = Math.abs(actual - expected);
        return d <= rel * Math.max(Math.abs(actual), Math.abs(expected)) || d <= abs;
    }

    /** The largest difference {@link #holds} allows at these magnitudes (for messages). */
    public double allowed(double expected, double actual) {
        return Math.max(rel * Math.max(Math.abs(actual), Math.abs(expected)), abs);
    }

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
            if (!holds(e, a)) {
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
