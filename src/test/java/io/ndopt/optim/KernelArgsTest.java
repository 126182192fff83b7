package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.internal.kernel.KernelScalars;
import org.junit.jupiter.api.Test;

/** The rule-and-step to kernel-scalars translation, against values worked out by hand. */
class KernelArgsTest {
    @Test void adamScalarsAreTheClosedFormValues() {
        // AdamW, lr 0.1, wd 0.5, t = 2: decay 1 − 0.05; bc2Sqrt = sqrt(1 − 0.999²); negStep = −0.1/(1 − 0.9²)
        GroupOptions o = GroupOptions.defaults(0.1).withDecayMode(DecayMode.DECOUPLED).withWeightDecay(0.5).withL1(0.2);
        Rule.Adam r = Rule.Adam.defaults().withAmsgrad(true);
        KernelScalars k = KernelArgs.of(r, StepScalars.resolve(o, 2, 0.25));
        double[] v = k.values();
        assertEquals(KernelScalars.Family.ADAM, k.family());
        assertEquals(0.25, v[0]);
        assertEquals(1 - 0.1 * 0.5, v[1]);
        assertEquals(0, v[2]);
        assertEquals(0.1 * 0.2, v[3], 1e-18);
        assertEquals(Math.sqrt(1 - 0.999 * 0.999), v[9], 1e-16);
        assertEquals(-0.1 / (1 - 0.9 * 0.9), v[10], 1e-15);
        assertEquals(KernelScalars.DECAY | KernelScalars.PROX | KernelScalars.AMSGRAD, k.flags());
        assertEquals((float) v[9], k.floatValues()[9]);
    }

    @Test void sgdScalarsFlagMomentumFirstStepAndNesterov() {
        Rule.Sgd r = Rule.Sgd.plain().withMomentum(0.9).withNesterov(true);
        GroupOptions o = GroupOptions.defaults(0.05).withWeightDecay(0.01);       // coupled: goes to l2
        KernelScalars first = KernelArgs.of(r, StepScalars.resolve(o, 1, 1));
        KernelScalars later = KernelArgs.of(r, StepScalars.resolve(o, 2, 1));
        assertEquals(KernelScalars.L2 | KernelScalars.MOMENTUM | KernelScalars.FIRST | KernelScalars.NESTEROV,
                first.flags());
        assertEquals(KernelScalars.L2 | KernelScalars.MOMENTUM | KernelScalars.NESTEROV, later.flags());
        assertArrayEquals(new double[] {1, 1, 0.01, 0, -0.05, 0.9, 1}, first.values());
        var e = assertThrows(IllegalArgumentException.class, () -> new KernelScalars(KernelScalars.Family.SGD, new double[3], 0));
        assertTrue(e.getMessage().contains("7 scalars"), e.getMessage());
    }

    @Test void familiesNameTheirEntryPointsAndStateSlots() {
        assertEquals("adam_f32", KernelScalars.Family.ADAM.entryPoint(true));
        assertEquals("sgd_f64", KernelScalars.Family.SGD.entryPoint(false));
        assertEquals(3, KernelScalars.Family.ADAM.stateSlots(KernelScalars.AMSGRAD));
        assertEquals(2, KernelScalars.Family.ADAM.stateSlots(KernelScalars.DECAY));
        assertEquals(1, KernelScalars.Family.SGD.stateSlots(KernelScalars.MOMENTUM));
        assertEquals(0, KernelScalars.Family.SGD.stateSlots(KernelScalars.L2));
    }
}
