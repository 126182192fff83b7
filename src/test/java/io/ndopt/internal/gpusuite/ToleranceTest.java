package io.ndopt.internal.gpusuite;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The GPU suite's element-wise comparison: relative and absolute bounds, zero ties, NaN. */
class ToleranceTest {
    @Test void float64IsRelativeWithAnUlpScaleFloorAndStrictZeros() {
        Tolerance t = Tolerance.F64;
        assertTrue(t.compare(new double[] {1.0, 2.0}, new double[] {1.0, 2.0 * (1 + 5e-13)}).passed());
        assertFalse(t.compare(new double[] {1.0}, new double[] {1.0 + 1e-11}).passed());
        assertTrue(t.compare(new double[] {4.5e-5}, new double[] {4.5e-5 + 1e-16}).passed(), "cancellation near zero");
        var c = t.compare(new double[] {0.0, 1.0}, new double[] {1e-300, 1.0});
        assertFalse(c.passed(), "a zero on one side only fails in float64");
        assertEquals(1, c.zeroMismatch());
        assertEquals(0, c.firstBad());
    }

    @Test void float32AllowsThresholdTiesWithinTheAbsoluteBound() {
        Tolerance t = Tolerance.F32;
        assertTrue(t.compare(new double[] {0.0}, new double[] {3e-8}).passed());
        assertFalse(t.compare(new double[] {0.0}, new double[] {3e-6}).passed());
        assertTrue(t.compare(new double[] {1.0}, new double[] {1.0 + 9e-6}).passed());
        assertFalse(t.compare(new double[] {1.0}, new double[] {1.0 + 2e-5}).passed());
    }

    @Test void nanMatchesOnlyNanAndDifferingCountsNonIdenticalElements() {
        Tolerance exact = new Tolerance(0, 0, false);
        assertTrue(exact.compare(new double[] {Double.NaN, 1}, new double[] {Double.NaN, 1}).passed());
        assertFalse(Tolerance.F32.compare(new double[] {Double.NaN}, new double[] {1}).passed());
        var c = exact.compare(new double[] {1, 2, 3}, new double[] {1, 2.5, 3.5});
        assertEquals(2, c.differing());
        assertEquals(1, c.firstBad());
        assertEquals(0.5, c.maxAbs());
        assertThrows(IllegalArgumentException.class, () -> exact.compare(new double[1], new double[2]));
    }

    @Test void parityBoundIsRelativeAboveOneAndAbsoluteBelowWithTheSameRule() {
        Tolerance p64 = Tolerance.parity(false), p32 = Tolerance.parity(true);
        assertTrue(p64.holds(0.009, 0.009 + 9e-13), "absolute 1e-12 below 1");
        assertFalse(Tolerance.F64.holds(0.009, 0.009 + 9e-13), "the GPU's floor is a few ulps");
        assertFalse(p64.holds(100, 100 * (1 + 2e-12)));
        assertFalse(p64.holds(0, 1e-300), "float64 zeros coincide");
        assertTrue(p32.holds(0, 3e-6), "float32 threshold ties within the bound");
        assertFalse(p32.holds(Double.NaN, 0));
        for (Tolerance t : new Tolerance[] {p64, p32, Tolerance.F64, Tolerance.F32}) {
            double[] e = {0.5, 0.0, 3.0}, a = {0.5 + t.allowed(0.5, 0.5) / 2, 0.0, 3.0};
            assertEquals(t.holds(e[0], a[0]), t.compare(a, e).passed(), "compare() decides by holds()");
        }
    }
}
