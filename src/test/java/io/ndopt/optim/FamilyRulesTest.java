package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.internal.kernel.KernelScalars;
import io.ndopt.param.Param;
import io.ndopt.schedule.Schedule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The element-wise torch.optim rules and Lion against values worked out by hand, on both CPU paths. */
class FamilyRulesTest {
    private static Param weight(double... v) { return Param.weight("w", Nd4j.createFromArray(v)); }

    private static double[] step(Optimizer opt, Param p, double... g) {
        p.setGrad(Nd4j.createFromArray(g));
        opt.step();
        return p.value().toDoubleVector();
    }

    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void firstStepsInClosedForm(UpdatePath impl) {
        double lr = 0.1, g = 0.5, w0 = 1.0;
        // RMSprop: sq = (1 − α)g², w −= lr·g/(sqrt(sq) + eps)
        Param p = weight(w0);
        assertEquals(w0 - lr * g / (Math.sqrt(0.01 * g * g) + 1e-8),
                step(Optimizer.rmsprop(lr).impl(impl).build(List.of(p)), p, g)[0], 1e-15);
        // Adagrad: sum = iav + g², then clr = lr/(1 + lr_decay) on step 2
        p = weight(w0);
        Optimizer ada = Optimizer.adagrad(lr).lrDecay(0.5).initialAccumulatorValue(0.2).impl(impl).build(List.of(p));
        double w1 = w0 - lr * g / (Math.sqrt(0.2 + g * g) + 1e-10);
        assertEquals(w1, step(ada, p, g)[0], 1e-15);
        assertEquals(w1 - lr / 1.5 * g / (Math.sqrt(0.2 + 2 * g * g) + 1e-10), step(ada, p, g)[0], 1e-15);
        // Adamax: m/(1 − β1) = g, u = |g| + eps
        p = weight(w0);
        assertEquals(w0 - lr * g / (g + 1e-8), step(Optimizer.adamax(lr).impl(impl).build(List.of(p)), p, g)[0], 1e-15);
        // RAdam before rectification (ρ_t ≤ 5): w −= lr·m/(1 − β1ᵗ) = lr·g
        p = weight(w0);
        assertEquals(w0 - lr * g, step(Optimizer.radam(lr).impl(impl).build(List.of(p)), p, g)[0], 1e-15);
        // Lion: decoupled decay, then −lr·sign(c); a zero gradient moves nothing but the decay
        p = weight(w0, -2.0, 3.0);
        assertArrayEquals(new double[] {w0 * 0.99 - lr, -2.0 * 0.99 + lr, 3.0 * 0.99},
                step(Optimizer.lion(lr).weightDecay(0.1).impl(impl).build(List.of(p)), p, g, -1e-3, 0), 1e-15);
    }

    /** Rprop: the step grows by η+ while the sign holds, shrinks by η− and skips the move when it flips. */
    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void rpropAdaptsItsStepSizes(UpdatePath impl) {
        Param p = weight(0.0);
        Optimizer opt = Optimizer.rprop(0.1).etas(0.5, 2.0).stepSizes(1e-3, 0.3).impl(impl).build(List.of(p));
        assertEquals(-0.1, step(opt, p, 3.0)[0], 1e-15);                     // first step: lr·sign(g)
        assertEquals(-0.3, step(opt, p, 1.0)[0], 1e-15);                     // 0.2
        assertEquals(-0.6, step(opt, p, 1.0)[0], 1e-15);                     // 0.4 clamped to 0.3
        assertEquals(-0.6, step(opt, p, -1.0)[0], 1e-15);                    // flip: step 0.15, no move, prev = 0
        assertEquals(-0.45, step(opt, p, -1.0)[0], 1e-15);                   // prev 0: factor 1, step 0.15
        Map<String, INDArray> state = opt.stateDict();
        assertEquals(0.15, state.get("w.step_size").getDouble(0), 1e-15);
        assertEquals(-1.0, state.get("w.prev").getDouble(0), 0);
    }

    /** NAdam's mu_product μ_1⋯μ_t is the optimizer's scalar state: saved, restored, and a resumed run continues bitwise. */
    @Test void nadamKeepsMuProductAsNamedState() {
        Rule.NAdam r = Rule.NAdam.defaults().withMomentumDecay(0.05);
        Param a = weight(1.0, -0.5), b = weight(1.0, -0.5);
        Optimizer first = Optimizer.nadam(0.01).momentumDecay(0.05).build(List.of(a));
        for (int t = 0; t < 3; t++) step(first, a, 0.3, -0.2);
        assertEquals(r.mu(1) * r.mu(2) * r.mu(3), first.muProduct(), 0);
        Map<String, INDArray> saved = first.stateDict();
        assertEquals(first.muProduct(), saved.get("mu_product").getDouble(0), 0);
        Optimizer resumed = Optimizer.nadam(0.01).momentumDecay(0.05).build(List.of(b));
        b.value().assign(a.value());
        resumed.loadStateDict(saved);
        assertArrayEquals(step(first, a, 0.1, 0.4), step(resumed, b, 0.1, 0.4), 0);
        saved.remove("mu_product");
        var e = assertThrows(IllegalArgumentException.class, () -> resumed.loadStateDict(saved));
        assertTrue(e.getMessage().contains("mu_product"), e.getMessage());
    }

    @Test void kernelScalarsCarryTheStepDependentTerms() {
        // NAdam at t = 2 with P = μ1·μ2: cg = −lr(1 − μ2)/(1 − P), cm = −lr·μ3/(1 − P·μ3)
        Rule.NAdam n = Rule.NAdam.defaults();
        double p = n.mu(1) * n.mu(2);
        KernelScalars k = KernelArgs.of(n, new StepScalars(2, 0.1, 1, 1, 0, 0, p));
        assertEquals(KernelScalars.Family.NADAM, k.family());
        assertEquals(1 - 0.999 * 0.999, k.value(8), 1e-17);
        assertEquals(-0.1 * (1 - n.mu(2)) / (1 - p), k.value(10), 1e-17);
        assertEquals(-0.1 * n.mu(3) / (1 - p * n.mu(3)), k.value(11), 1e-17);
        // RAdam: ρ_5 = 4.996 (plain step), ρ_6 = 5.994 (rectified)
        assertEquals(0, KernelArgs.of(Rule.RAdam.defaults(), new StepScalars(5, 0.1, 1, 1, 0, 0)).flags());
        KernelScalars six = KernelArgs.of(Rule.RAdam.defaults(), new StepScalars(6, 0.1, 1, 1, 0, 0));
        assertEquals(KernelScalars.RECTIFY, six.flags());
        double rho = 5.994163751655833, inf = 1999;
        assertEquals(Math.sqrt((rho - 4) * (rho - 2) * inf / ((inf - 4) * (inf - 2) * rho)), six.value(12), 1e-12);
        // Adagrad: −lr/(1 + (t − 1)·lr_decay), FIRST on step 1 only (the accumulator starts there)
        KernelScalars ada = KernelArgs.of(new Rule.Adagrad(0.5, 0.1, 1e-10), new StepScalars(3, 0.1, 1, 1, 0, 0));
        assertEquals(-0.1 / 2, ada.value(6), 1e-17);
        assertEquals(0, ada.flags() & KernelScalars.FIRST);
        // RMSprop's kernel slots: a = square_avg, b = momentum_buffer, c = grad_avg, whichever are kept
        assertArrayEquals(new int[] {0, -1, 1}, KernelScalars.Family.RMSPROP.kernelSlots(KernelScalars.CENTERED));
        assertArrayEquals(new int[] {0, 1, 2},
                KernelScalars.Family.RMSPROP.kernelSlots(KernelScalars.CENTERED | KernelScalars.MOMENTUM));
    }

    @Test void stateViewsNameTorchsState() {
        INDArray[] s = {Nd4j.zeros(2), Nd4j.zeros(2)};
        Rule.RmsProp centered = Rule.RmsProp.defaults().withCentered(true);
        assertEquals(List.of("square_avg", "grad_avg"), centered.stateNames());
        assertSame(s[1], centered.state(s).ga());
        assertNull(centered.state(s).buf());
        assertEquals(List.of("square_avg", "momentum_buffer", "grad_avg"),
                centered.withMomentum(0.9).stateNames());
        assertEquals(List.of("sum"), Rule.Adagrad.defaults().stateNames());
        assertEquals(List.of("square_avg", "acc_delta"), Rule.Adadelta.defaults().stateNames());
        assertEquals(List.of("exp_avg", "exp_inf"), Rule.Adamax.defaults().stateNames());
        assertEquals(List.of("prev", "step_size"), Rule.Rprop.defaults().stateNames());
        assertEquals(List.of("exp_avg"), Rule.Lion.defaults().stateNames());
    }

    /** A NaN gradient propagates as in torch: sign(NaN) = NaN (ND4J's own sign gives 0), max(x, NaN) = NaN. */
    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void nanGradientReachesTheParametersUnderPropagate(UpdatePath impl) {
        for (OptimizerBuilder b : List.of(Optimizer.lion(0.1), Optimizer.rprop(0.1), Optimizer.adamax(0.1))) {
            Param p = weight(1.0, 2.0);
            Optimizer opt = b.onNonFinite(NonFinitePolicy.PROPAGATE).impl(impl).build(List.of(p));
            double[] w = step(opt, p, Double.NaN, 1.0);
            assertTrue(Double.isNaN(w[0]), opt.rule() + ": " + w[0]);
            assertTrue(Double.isFinite(w[1]), opt.rule() + ": " + w[1]);
        }
    }

    @Test void combinationsThatCannotBeRightAreRefusedByName() {
        List<Param> ps = List.of(weight(1.0));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.rprop(0.1).schedule(Schedule.cosine(0.1, 10, 0)).build(ps));
        assertTrue(e.getMessage().contains("Rprop") && e.getMessage().contains("schedule"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(0.1).decoupledWeightDecay(true));
        assertTrue(e.getMessage().contains("decoupled_weight_decay"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(0.1).alpha(0.9));
        assertTrue(e.getMessage().contains("alpha") && e.getMessage().contains("RmsProp"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.rprop(0.1).etas(1.5, 2));
        assertTrue(e.getMessage().contains("eta_minus"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.lion(0.1).betas(1.0, 0.9));
        assertTrue(e.getMessage().contains("beta1"), e.getMessage());
    }
}
