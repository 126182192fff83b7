package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.param.Param;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * loadStateDict refuses a non-finite state value by parameter and state name when no step took a non-finite gradient
 * in ({@code nonfinite_steps} 0), and takes one otherwise (PROPAGATE) — and takes the +Inf that a finite gradient's
 * overflowing square leaves in a second moment.
 */
class StateFinitenessTest {
    private static Param w() { return Param.weight("fc1.W", Nd4j.createFromArray(0.5f, -1f, 2f)); }

    private static Map<String, INDArray> with(Map<String, INDArray> state, String key, int i, float v) {
        Map<String, INDArray> s = new HashMap<>(state);
        INDArray a = s.get(key).dup();
        a.putScalar(i, v);
        s.put(key, a);
        return s;
    }

    @Test void anInfiniteFirstMomentIsRefusedByParameterAndStateAndNothingIsApplied() {
        for (float bad : new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}) {
            Param p = w();
            Optimizer o = Optimizer.adam(1e-2).build(List.of(p));
            p.setGrad(Nd4j.ones(DataType.FLOAT, 3));
            o.step();
            Map<String, INDArray> good = o.stateDict();
            var e = assertThrows(IllegalArgumentException.class,
                    () -> o.loadStateDict(with(good, "fc1.W.exp_avg", 1, bad)), "exp_avg " + bad);
            assertTrue(e.getMessage().contains("'fc1.W.exp_avg' (parameter 'fc1.W', state 'exp_avg')")
                    && e.getMessage().contains("nonfinite_steps is 0"), e.getMessage());
            assertEquals(o.stateDict().get("fc1.W.exp_avg"), good.get("fc1.W.exp_avg"), "nothing written");
        }
        for (String rule : List.of("sgd", "rmsprop")) {             // other rules' first-moment slots too
            Param p = w();
            Optimizer o = (rule.equals("sgd") ? Optimizer.sgd(0.1).momentum(0.9)
                    : Optimizer.rmsprop(1e-2).momentum(0.9).centered(true)).build(List.of(p));
            p.setGrad(Nd4j.ones(DataType.FLOAT, 3));
            o.step();
            String key = rule.equals("sgd") ? "fc1.W.momentum_buffer" : "fc1.W.grad_avg";
            var e = assertThrows(IllegalArgumentException.class,
                    () -> o.loadStateDict(with(o.stateDict(), key, 0, Float.POSITIVE_INFINITY)));
            assertTrue(e.getMessage().contains("'" + key + "'") && e.getMessage().contains("infinite"), e.getMessage());
        }
    }

    @Test void afterANonFiniteStepUnderPropagateTheStateMayHoldIt() {
        Param p = w();
        Optimizer o = Optimizer.adam(1e-2).onNonFinite(NonFinitePolicy.PROPAGATE).build(List.of(p));
        p.setGrad(Nd4j.createFromArray(1f, Float.POSITIVE_INFINITY, 1f));
        o.step();
        assertEquals(1, o.nonFiniteSteps());
        Map<String, INDArray> s = o.stateDict();
        assertTrue(Float.isInfinite(s.get("fc1.W.exp_avg").getFloat(1)), "the Inf went into the first moment");
        Param q = w();
        Optimizer back = Optimizer.adam(1e-2).onNonFinite(NonFinitePolicy.PROPAGATE).build(List.of(q));
        back.loadStateDict(s);
        assertEquals(s.get("fc1.W.exp_avg").getFloat(1), back.stateDict().get("fc1.W.exp_avg").getFloat(1));
    }

    @Test void aSecondMomentMadeInfiniteByAFiniteGradientLoadsBack() {
        Param p = w();
        Optimizer o = Optimizer.adam(1e-2).build(List.of(p));
        p.setGrad(Nd4j.createFromArray(1f, 1e20f, 1f));          // finite; its square overflows float32
        o.step();
        assertEquals(0, o.nonFiniteSteps());
        Map<String, INDArray> s = o.stateDict();
        assertEquals(Float.POSITIVE_INFINITY, s.get("fc1.W.exp_avg_sq").getFloat(1), "the overflowed square");
        Param q = w();
        Optimizer back = Optimizer.adam(1e-2).build(List.of(q));
        back.loadStateDict(s);                                      // a state the optimizer itself produced
        assertEquals(Float.POSITIVE_INFINITY, back.stateDict().get("fc1.W.exp_avg_sq").getFloat(1));
    }
}
