package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.TestArrays;
import io.ndopt.param.Param;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A parameter whose gradient was never set (or was cleared) is skipped, as PyTorch skips {@code grad is None}:
 * no decay, no prox, no state change, and its own step count (bias correction) starts at its first gradient.
 */
class UnsetGradientTest {
    private static final List<Supplier<OptimizerBuilder>> RECIPES = List.of(
            () -> Optimizer.adamw(1e-2).weightDecay(0.1).l1(1e-3),
            () -> Optimizer.sgd(0.1).momentum(0.9).weightDecay(0.1),
            () -> Optimizer.adam(1e-2).amsgrad(true).l2(0.01));

    private static List<Param> model(DataType dt) {
        Random r = new Random(3);
        return List.of(Param.weight("a", TestArrays.randn(dt, r, 4, 5)), Param.weight("b", TestArrays.randn(dt, r, 7)),
                Param.weight("c", TestArrays.randn(dt, r, 3)));
    }

    private static INDArray grad(Param p, int step) {
        return TestArrays.randn(p.dtype(), new Random(100 * step + p.name().hashCode()), p.shape());
    }

    @Test void aParameterWithoutAGradientIsUntouchedAndStartsItsOwnCountAtItsFirstGradient() {
        for (UpdatePath impl : new UpdatePath[] {UpdatePath.AUTO, UpdatePath.REFERENCE}) {
            for (Layout layout : Layout.values()) {
                for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                    for (int k = 0; k < RECIPES.size(); k++) {
                        String where = "recipe " + k + " " + impl + " " + layout + " " + dt;
                        List<Param> ps = model(dt);
                        Param a = ps.get(0), b = ps.get(1), c = ps.get(2);
                        INDArray b0 = b.value().dup();
                        Optimizer o = RECIPES.get(k).get().impl(impl).layout(layout).build(ps);
                        a.setGrad(grad(a, 1));
                        c.setGrad(grad(c, 1));
                        assertFalse(b.hasGrad());
                        assertTrue(o.step());
                        assertEquals(b0, b.value(), where + ": b had no gradient: no decay, no update");
                        for (String slot : o.rule().stateNames()) {
                            assertEquals(0.0, o.stateDict().get("b." + slot).amaxNumber().doubleValue(), 0.0, where);
                        }
                        // step 2: b's first gradient; it must move as a fresh optimizer's first step moves it
                        List<Param> alone = List.of(Param.weight("b", b0.dup()));
                        Optimizer fresh = RECIPES.get(k).get().impl(impl).layout(layout).build(alone);
                        for (Param p : ps) p.setGrad(grad(p, 2));
                        alone.get(0).setGrad(grad(b, 2));
                        o.step();
                        fresh.step();
                        assertEquals(alone.get(0).value(), b.value(), where + ": b's bias correction counts its own step");
                        Map<String, INDArray> state = o.stateDict();
                        assertEquals(Nd4j.createFromArray(2L, 1L, 2L), state.get("param_steps"), where);
                        // resume: the per-parameter counts come back
                        List<Param> copy = model(dt);
                        for (int i = 0; i < ps.size(); i++) copy.get(i).setValue(ps.get(i).value());
                        Optimizer resumed = RECIPES.get(k).get().impl(impl).layout(layout).build(copy);
                        resumed.loadStateDict(state);
                        c.clearGrad();
                        for (Param p : List.of(a, b)) p.setGrad(grad(p, 3));
                        for (Param p : List.of(copy.get(0), copy.get(1))) p.setGrad(grad(p, 3));
                        o.step();
                        resumed.step();
                        for (int i = 0; i < ps.size(); i++) assertEquals(ps.get(i).value(), copy.get(i).value(), where);
                        assertEquals(Nd4j.createFromArray(3L, 2L, 2L), o.stateDict().get("param_steps"), where);
                    }
                }
            }
        }
    }

    @Test void withEveryGradientSetTheStateHasNoPerParameterCounts() {
        List<Param> ps = model(DataType.FLOAT);
        Optimizer o = Optimizer.adam(1e-2).build(ps);
        for (Param p : ps) p.setGrad(grad(p, 1));
        o.step();
        assertFalse(o.stateDict().containsKey("param_steps"));
    }
}
