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
}
