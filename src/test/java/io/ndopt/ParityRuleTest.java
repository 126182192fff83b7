package io.ndopt;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ndopt.internal.gpusuite.Tolerance;
import io.ndopt.param.Param;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The comparison itself: the bound, float64 exact zeros, and each clause of the float32 tie rule. */
class ParityRuleTest {
    private static INDArray f32(double... v) { return Nd4j.createFromArray(v).castTo(DataType.FLOAT); }

    private static List<Param> w(INDArray v) { return List.of(Param.weight("w", v)); }

    private static Map<String, INDArray> m(INDArray v) { return Map.of("w.exp_avg", v); }

    private static void check(INDArray w0, INDArray w1, INDArray m0, INDArray m1, boolean ties) {
        Parity.assertArrays(w(w0), w(w1), m(m0), m(m1), Tolerance.parity(w0.dataType() == DataType.FLOAT), ties, "case");
    }

    @Test void boundIsRelativeAboveOneAndAbsoluteBelow() {
        Parity.assertClose(f32(100, 0.5), f32(100 * (1 + 9e-6), 0.5 + 9e-6), "within");
        assertThrows(AssertionError.class, () -> Parity.assertClose(f32(0.5), f32(0.5 + 2e-5), "absolute below 1"));
        assertThrows(AssertionError.class, () ->
                Parity.assertClose(f32(100), f32(100 * (1 + 2e-5)), "relative above 1"));
        assertThrows(AssertionError.class, () -> Parity.assertClose(f32(1, 2), f32(1, 2, 3), "shape"));
        INDArray nan = Nd4j.createFromArray(Double.NaN, 1.0);
        Parity.assertClose(nan, nan.dup(), "NaN matches NaN");
        assertThrows(AssertionError.class, () ->
                Parity.assertClose(nan, Nd4j.createFromArray(1.0, 1.0), "NaN vs number"));
    }

    @Test void float64ExactZerosMustCoincideEvenWithinTheBound() {
        INDArray a = Nd4j.createFromArray(0.0, 1.0), b = Nd4j.createFromArray(1e-300, 1.0);
        assertThrows(AssertionError.class, () -> Parity.assertClose(a, b, "zero on one side"));
        assertThrows(AssertionError.class, () -> check(a, b, a.dup(), a.dup(), true));
    }

    @Test void float32TieNeedsTheDeclarationAndStaysUnderTheLimit() {
        INDArray w0 = f32(0, 1, 2), w1 = f32(5e-4, 1, 2), m0 = f32(0.1, 0.2, 0.3);
        check(w0, w1, m0, m0.dup(), true);
        assertThrows(AssertionError.class, () -> check(w0, w1, m0, m0.dup(), false), "no ties declared");
        assertThrows(AssertionError.class, () -> check(w0, f32(2e-3, 1, 2), m0, m0.dup(), true), "beyond TIE_LIMIT");
        INDArray d0 = w0.castTo(DataType.DOUBLE), d1 = w1.castTo(DataType.DOUBLE), dm = m0.castTo(DataType.DOUBLE);
        assertThrows(AssertionError.class, () -> check(d0, d1, dm, dm.dup(), true), "float64 never ties");
    }

    @Test void aTiedSiteCoversItsStateAndCountsOnce() {
        INDArray w0 = f32(0.3, 1, 2), w1 = f32(0.3004, 1.0005, 2), m0 = f32(0.1, 0.2, 0.3);
        check(w0, w1, m0, f32(0.1003, 0.2, 0.3), true);                     // sites w[0] (value and state) and w[1]
        assertThrows(AssertionError.class, () -> check(w0, w1, m0, f32(0.1003, 0.2, 0.3003), true),
                "state at w[2]: a third site");
        assertThrows(AssertionError.class, () -> check(w0, w1, m0, f32(0.1, 0.2 + 2e-3, 0.3), true),
                "beyond TIE_LIMIT in state");
    }

    @Test void atMostTwoTiedSites() {
        INDArray m0 = f32(0.1, 0.2, 0.3, 0.4);
        check(f32(0, 0, 2, 3), f32(1e-4, -1e-4, 2, 3), m0, m0.dup(), true);
        assertThrows(AssertionError.class, () -> check(f32(0, 0, 0, 3), f32(1e-4, -1e-4, 1e-4, 3), m0, m0.dup(), true));
    }
}
