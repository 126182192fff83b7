package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.param.Param;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Bad hyper-parameters, shapes, dtypes and gradients get errors naming the culprit. */
class ValidationTest {

    private static void assertMessage(Runnable r, String... parts) {
        var e = assertThrows(RuntimeException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should name " + p);
        }
    }

    @Test
    void rejectsBadHyperParameters() {
        assertMessage(() -> Optimizer.sgd(-0.1), "lr");
        assertMessage(() -> Optimizer.adam(0.1).betas(1.0, 0.999), "beta1");
        assertMessage(() -> Optimizer.adam(0.1).betas(0.9, -0.1), "beta2");
        assertMessage(() -> Optimizer.adam(0.1).eps(-1), "eps");
        assertMessage(() -> Optimizer.adamw(0.1).weightDecay(-1), "weight_decay");
        assertMessage(() -> Optimizer.sgd(0.1).l1(-1), "l1");
        assertMessage(() -> Optimizer.sgd(0.1).l2(Double.NaN), "l2");
        assertMessage(() -> Optimizer.sgd(0.1).momentum(-0.5), "momentum");
        assertMessage(() -> Optimizer.sgd(0.1).nesterov(true), "nesterov");
        assertMessage(() -> Optimizer.sgd(0.1).betas(0.9, 0.9), "betas", "SGD");
        assertMessage(() -> Optimizer.sgd(0.1).clipNorm(-1), "clip_norm");
    }

    @Test
    void gradientShapeAndDtypeMismatchNameTheParameter() {
        Param w = Param.weight("layer1.W", Nd4j.zeros(DataType.FLOAT, 3, 2));
        assertMessage(() -> w.setGrad(Nd4j.zeros(DataType.FLOAT, 2, 3)), "layer1.W", "shape");
        assertMessage(() -> w.setGrad(Nd4j.zeros(DataType.DOUBLE, 3, 2)), "layer1.W", "dtype");
    }

    @Test
    void nonFiniteGradientIsAnErrorNamingParameterAndStep() {
        Param a = Param.weight("a", Nd4j.ones(DataType.DOUBLE, 4));
        Param b = Param.weight("b", Nd4j.ones(DataType.DOUBLE, 4));
        Optimizer opt = Optimizer.adam(0.1).build(List.of(a, b));
        opt.step();
        b.grad().putScalar(2, Double.NaN);
        var e = assertThrows(NonFiniteGradientException.class, opt::step);
        assertEquals("b", e.param());
        assertEquals(2, e.step());
        assertArrayEquals(new double[] {1, 1, 1, 1}, a.value().toDoubleVector(), 0.0, "nothing was changed");
    }

    @Test
    void skipPolicySkipsAndCounts() {
        Param a = Param.weight("a", Nd4j.ones(DataType.FLOAT, 4));
        Optimizer opt = Optimizer.sgd(0.1).onNonFinite(NonFinitePolicy.SKIP).build(List.of(a));
        a.grad().putScalar(0, Float.POSITIVE_INFINITY);
        assertFalse(opt.step());
        assertEquals(1, opt.skippedSteps());
        assertEquals(0, opt.stepCount());
        assertArrayEquals(new float[] {1, 1, 1, 1}, a.value().toFloatVector(), 0f);
    }

    @Test
    void float32GradientsWhoseNormOverflowsAreStillClipped() {
        Param a = Param.weight("a", Nd4j.ones(DataType.FLOAT, 1000));
        Optimizer opt = Optimizer.sgd(0.1).clipNorm(1.0).build(List.of(a));
        a.grad().assign(1e25f);                        // Σg² = 1e53 overflows float32, the values are finite
        assertTrue(opt.step());
        assertEquals(1e25 * Math.sqrt(1000), opt.lastGradNorm(), 1e25 * Math.sqrt(1000) * 1e-5);
        float[] v = a.value().toFloatVector();
        for (float x : v) assertEquals(1 - 0.1 / Math.sqrt(1000), x, 1e-5);   // clipped to a unit-norm step
    }

    @Test
    void emptyTensorsInTheTensorLayout() {
        Param z = Param.weight("z", Nd4j.create(DataType.DOUBLE, 0));
        Param w = Param.weight("w", Nd4j.ones(DataType.DOUBLE, 2));
        Optimizer opt = Optimizer.adam(0.1).layout(Layout.TENSORS).build(List.of(z, w));
        w.zeroGrad();
        w.setGrad(w.gradArray());                      // a gradient, all zeros (an unset one would skip w)
        assertTrue(opt.step());
        assertEquals(3 + 2 * 2, opt.stateDict().size(),
                "step, skipped_steps, nonfinite_steps and exp_avg, exp_avg_sq of both");
        assertArrayEquals(new double[] {1, 1}, w.value().toDoubleVector(), 0.0, "zero gradient, no decay: unchanged");
    }

    @Test
    void duplicateNamesAndMixedGroupsAreRejected() {
        Param a = Param.weight("x", Nd4j.ones(2));
        Param b = Param.weight("x", Nd4j.ones(2));
        assertMessage(() -> Optimizer.sgd(0.1).build(List.of(a, b)), "duplicate", "x");
        Param c = Param.weight("c", Nd4j.ones(2));
        assertMessage(() -> Optimizer.sgd(0.1).group("g1", List.of(c), o -> o).group("g2", List.of(c), o -> o)
                .build(List.of(c)), "c", "g1", "g2");
    }

    @Test
    void emptyParameterListAndZeroSizeTensorsStep() {
        Optimizer empty = Optimizer.adamw(0.1).build(List.of());
        assertTrue(empty.step());
        Param z = Param.weight("z", Nd4j.create(DataType.FLOAT, 0));
        Param w = Param.weight("w", Nd4j.ones(DataType.FLOAT, 3));
        Optimizer opt = Optimizer.adamw(0.1).build(List.of(z, w));
        w.setGrad(Nd4j.ones(DataType.FLOAT, 3));
        assertTrue(opt.step());
        assertEquals(0, z.length());
    }
}
