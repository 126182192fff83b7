package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ndopt.param.Param;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Schedule-free AdamW, Adafactor and Muon with per-parameter step counts: a parameter without a gradient is skipped,
 * and its first step later is its own step 1 (Adafactor's ρ and ω, the aux AdamW's bias correction; schedule-free's
 * z starts at y then, while its group sums and bias correction follow the optimizer's step as in the reference).
 */
class MatrixRulesParamStepsTest {
    private static final INDArray G = Nd4j.createFromArray(new double[][] {{0.3, -0.2, 0.5}, {-0.1, 0.4, 0.25}});

    private static Param matrix(String name, double shift) {
        return Param.weight(name, Nd4j.createFromArray(new double[][] {{1, -2, 0.5}, {0.7, 1.5, -0.3}}).addi(shift));
    }

    /** b skipped at step 1, stepped at 2, ends where a fresh optimizer's first step on b alone puts it. */
    private static void lateParamTakesItsOwnFirstStep(OptimizerBuilder late, OptimizerBuilder fresh) {
        Param a = matrix("a", 0), b = matrix("b", 0.1), alone = matrix("b", 0.1);
        try (Optimizer opt = late.build(List.of(a, b))) {
            a.setGrad(G.dup());
            opt.step();
            assertArrayEquals(matrix("b", 0.1).value().data().asDouble(), b.value().data().asDouble(), 0.0, "b skipped");
            a.setGrad(G.dup());
            b.setGrad(G.mul(-1));
            opt.step();
        }
        try (Optimizer one = fresh.build(List.of(alone))) {
            alone.setGrad(G.mul(-1));
            one.step();
        }
        assertArrayEquals(alone.value().data().asDouble(), b.value().data().asDouble(), 1e-15);
    }

    @Test void adafactorLateParameterStartsAtItsStepOne() {
        lateParamTakesItsOwnFirstStep(Optimizer.adafactor(0.05), Optimizer.adafactor(0.05));
    }

    @Test void muonAuxLateParameterStartsAtItsStepOne() {
        // every weight to Muon (momentum buffer starts at step 1); and the aux AdamW's bias correction
        lateParamTakesItsOwnFirstStep(Optimizer.muon(0.02).muonParams(Rule.Muon.MuonParams.WEIGHTS),
                Optimizer.muon(0.02).muonParams(Rule.Muon.MuonParams.WEIGHTS));
        lateParamTakesItsOwnFirstStep(Optimizer.muon(0.02).muonParams(io.ndopt.regularize.ParamMask.names("none")),
                Optimizer.muon(0.02).muonParams(io.ndopt.regularize.ParamMask.names("none")));
    }

    /**
     * Step 2 with a constant lr and r = 0, weight_lr_power = 2: ω = lr², Σω = 2lr², c = 1/2; v = (1 − b2)d²,
     * bc2 = 1 − b2² (the group's step), u = d/(|d|/sqrt(1 + b2) + eps); z starts at y0, so
     * y = lerp(y0, y0, c) + lr·(b1(1 − c) − 1)·u.
     */
    @Test void scheduleFreeLateParameterStartsZAtItsValue() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        Param a = matrix("a", 0), b = matrix("b", 0.1);
        double[] y0 = b.value().data().asDouble(), d = G.data().asDouble();
        try (Optimizer opt = Optimizer.scheduleFreeAdamw(lr).build(List.of(a, b))) {
            a.setGrad(G.dup());
            opt.step();
            a.setGrad(G.dup());
            b.setGrad(G.dup());
            opt.step();
            for (int i = 0; i < d.length; i++) {
                double u = d[i] / (Math.abs(d[i]) / Math.sqrt(1 + b2) + eps);
                assertEquals(y0[i] + lr * (b1 * 0.5 - 1) * u, b.value().data().getDouble(i), 1e-12, "y[" + i + "]");
            }
        }
    }
}
