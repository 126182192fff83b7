package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.ndopt.param.Param;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.factory.Nd4j;

/** Steps whose result is known in closed form (STYLE.md §8), on both implementations. */
class ClosedFormTest {
    private static final double[] W = {0.5, -1.25, 2.0, 0.0, -0.03};
    private static final double[] G = {0.1, -0.4, 3.0, -2.0, 0.0};

    private static Param weight(double[] v) { return Param.weight("w", Nd4j.createFromArray(v.clone())); }

    private static double[] stepOnce(OptimizerBuilder b, UpdatePath impl, double[] grad) {
        Param w = weight(W);
        Optimizer opt = b.impl(impl).build(List.of(w));
        w.setGrad(Nd4j.createFromArray(grad.clone()));
        opt.step();
        return w.value().toDoubleVector();
    }

    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void adamFirstStepIsSignedLr(UpdatePath impl) {
        double lr = 0.01, eps = 1e-8;
        double[] got = stepOnce(Optimizer.adam(lr).eps(eps), impl, G);
        for (int i = 0; i < W.length; i++) {
            // m̂ = g, v̂ = g²  =>  w − lr·g/(|g| + ε)
            assertEquals(W[i] - lr * G[i] / (Math.abs(G[i]) + eps), got[i], 1e-15, "element " + i);
        }
    }

    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void adamwWithZeroGradientOnlyDecays(UpdatePath impl) {
        double lr = 0.1, wd = 0.3;
        double[] got = stepOnce(Optimizer.adamw(lr).weightDecay(wd), impl, new double[W.length]);
        for (int i = 0; i < W.length; i++) assertEquals(W[i] * (1 - lr * wd), got[i], 0.0, "element " + i);
    }

    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void sgdCoupledAndDecoupledDecayCoincideWithoutMomentum(UpdatePath impl) {
        double lr = 0.05, wd = 0.2;
        double[] coupled = stepOnce(Optimizer.sgd(lr).weightDecay(wd), impl, G);
        double[] decoupled = stepOnce(Optimizer.sgd(lr).weightDecay(wd).decayMode(DecayMode.DECOUPLED), impl, G);
        assertArrayEquals(coupled, decoupled, 1e-15);
        for (int i = 0; i < W.length; i++) assertEquals(W[i] - lr * (G[i] + wd * W[i]), coupled[i], 1e-15);
    }

    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void adamL2DiffersFromAdamW(UpdatePath impl) {
        double[] l2 = stepOnce(Optimizer.adam(0.1).weightDecay(0.5), impl, G);
        double[] w = stepOnce(Optimizer.adamw(0.1).weightDecay(0.5), impl, G);
        assertNotEquals(l2[0], w[0]);
    }

    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void proxL1IsSoftThresholdOfTheSgdStep(UpdatePath impl) {
        double lr = 0.1, l1 = 2.0, t = lr * l1;
        double[] got = stepOnce(Optimizer.sgd(lr).l1(l1), impl, G);
        for (int i = 0; i < W.length; i++) {
            double z = W[i] - lr * G[i];
            double expect = z > t ? z - t : z < -t ? z + t : 0.0;
            assertEquals(expect, got[i], 1e-15, "element " + i);
        }
    }

    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void lrZeroLeavesParametersUnchanged(UpdatePath impl) {
        double[] got = stepOnce(Optimizer.adamw(0).weightDecay(0.5).l1(3), impl, G);
        assertArrayEquals(W, got, 0.0);
    }

    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void hugeL1ZeroesEveryWeight(UpdatePath impl) {
        double[] got = stepOnce(Optimizer.adam(0.1).l1(1e6), impl, G);
        for (double v : got) assertEquals(0.0, v, 0.0);
    }

    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void maximizeAscends(UpdatePath impl) {
        double[] up = stepOnce(Optimizer.sgd(0.1).maximize(true), impl, G);
        for (int i = 0; i < W.length; i++) assertEquals(W[i] + 0.1 * G[i], up[i], 1e-15);
    }

    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void paperVariantScalesDecayByScheduleMultiplierOnly(UpdatePath impl) {
        // lr schedule 0.5 -> multiplier 1 at step 1: w·(1 − 1·wd), independent of the base lr
        double[] got = stepOnce(Optimizer.adamw(0.5).weightDecay(0.01).decayMode(DecayMode.DECOUPLED_SCHEDULE_ONLY),
                impl, new double[W.length]);
        for (int i = 0; i < W.length; i++) assertEquals(W[i] * (1 - 0.01), got[i], 0.0);
    }
}
