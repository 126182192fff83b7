package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.TestArrays;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The optimizer's contract on misuse: one owner per parameter, no two parameters over one array, zero-size
 * parameters, a closed optimizer, a null in the parameter list, a state with impossible moments.
 */
class OptimizerGuardsTest {
    private static Param w(String name, long... shape) {
        return Param.weight(name, TestArrays.randn(DataType.FLOAT, new Random(name.hashCode()), shape));
    }

    @Test void aParamOfAnotherOptimizerIsRefusedUntilThatOneIsClosed() {
        Param p = w("w", 3, 4);
        Optimizer first = Optimizer.adam(1e-2).build(List.of(p));
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1).build(List.of(p)));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("another optimizer"), e.getMessage());
        first.close();
        Optimizer second = Optimizer.sgd(0.1).build(List.of(p));           // released by close()
        p.setGrad(Nd4j.ones(DataType.FLOAT, 3, 4));
        INDArray before = p.value().dup();
        assertTrue(second.step());
        assertEquals(before.sub(0.1), p.value(), "the second optimizer updates the parameter the user reads");
    }

    @Test void aFailedBuildReleasesWhatItClaimed() {
        Param a = w("a", 2), b = w("b", 2);
        Optimizer.adam(1e-2).build(List.of(b));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(1e-2).build(List.of(a, b)));
        Optimizer.adam(1e-2).build(List.of(a));                            // 'a' was not kept by the failed build
    }

    @Test void twoParamsOverOneArrayAreRefusedByName() {
        INDArray shared = Nd4j.rand(DataType.FLOAT, 4, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(1e-2)
                .build(List.of(Param.weight("enc", shared), Param.weight("dec", shared))));
        assertTrue(e.getMessage().contains("'enc'") && e.getMessage().contains("'dec'"), e.getMessage());
        INDArray flat = Nd4j.rand(DataType.FLOAT, 10);
        Param lo = Param.weight("lo", flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6)));
        Param hi = Param.weight("hi", flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 10)));
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1).build(List.of(lo, hi)));
        assertTrue(e.getMessage().contains("'lo'") && e.getMessage().contains("'hi'"), e.getMessage());
        Param left = Param.weight("left", flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)));
        Param right = Param.weight("right", flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 10)));
        Optimizer.sgd(0.1).build(List.of(left, right));                  // disjoint views of one array are fine
    }

    @Test void aNullInTheParameterListIsNamedByIndex() {
        List<Param> ps = new ArrayList<>(List.of(w("a", 2)));
        ps.add(null);
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(1e-2).build(ps));
        assertTrue(e.getMessage().contains("index 1") && e.getMessage().contains("null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(1e-2).group("g", ps, o -> o));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    }

    @Test void zeroSizeParametersStepSaveAndLoadOnEveryPath() {
        for (UpdatePath impl : new UpdatePath[] {UpdatePath.AUTO, UpdatePath.REFERENCE}) {
            for (Layout layout : Layout.values()) {
                for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                    String where = impl + " " + layout + " " + dt;
                    List<OptimizerBuilder> recipes = List.of(Optimizer.adamw(1e-2).l1(0.1).clipNorm(1),
                            Optimizer.sgd(0.1).momentum(0.9).l2(0.1), Optimizer.adam(1e-2).amsgrad(true));
                    for (OptimizerBuilder recipe : recipes) {
                        Param empty = Param.weight("empty", Nd4j.create(dt, 0, 3));
                        Param none = Param.bias("none", Nd4j.create(dt, 0));
                        Param real = Param.weight("real", Nd4j.ones(dt, 2));
                        List<Param> ps = List.of(empty, none, real);
                        Optimizer o = recipe.impl(impl).layout(layout).build(ps);
                        real.setGrad(Nd4j.ones(dt, 2));
                        assertTrue(o.step(), where);
                        assertTrue(o.step(), where);
                        assertArrayEquals(new long[] {0, 3}, empty.value().shape(), where);
                        Map<String, INDArray> state = o.stateDict();
                        for (String slot : o.rule().stateNames()) assertEquals(0, state.get("empty." + slot).length());
                        o.close();
                        Optimizer only = Optimizer.adam(1e-2).impl(impl).layout(layout)
                                .build(List.of(Param.weight("e", Nd4j.create(dt, 0))));
                        assertTrue(only.step(), where + ": an optimizer over nothing but a zero-size tensor");
                        Optimizer again = recipe.impl(impl).layout(layout).build(List.of(
                                Param.weight("empty", Nd4j.create(dt, 0, 3)), Param.bias("none", Nd4j.create(dt, 0)),
                                Param.weight("real", Nd4j.ones(dt, 2))));
                        again.loadStateDict(state);
                        assertEquals(2, again.stepCount(), where);
                    }
                }
            }
        }
    }

    @Test void aClosedOptimizerRefusesToStep() {
        Optimizer o = Optimizer.adam(1e-2).build(List.of(w("w", 3)));
        o.close();
        var e = assertThrows(IllegalStateException.class, o::step);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        o.close();                                                           // idempotent
    }

    @Test void concurrentStepsAreRefusedNotLost() throws Exception {
        Param p = w("w", 200_000);
        Optimizer o = Optimizer.adam(1e-3).impl(UpdatePath.REFERENCE).build(List.of(p));
        p.setGrad(Nd4j.ones(DataType.FLOAT, 200_000));
        int threads = 4, each = 25;
        List<Throwable> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            ts.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        if (o.step()) taken.incrementAndGet();
                    } catch (IllegalStateException e) {
                        refused.add(e);
                    }
                }
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) t.join();
        assertEquals(taken.get(), o.stepCount(), "every step that returned true is counted: none lost");
        assertEquals(threads * each, taken.get() + refused.size());
        for (Throwable e : refused) assertTrue(e.getMessage().contains("another thread"), e.getMessage());
    }

    @Test void aStateWithNaNOrNegativeSecondMomentsIsRefusedByEntry() {
        for (String slot : List.of("exp_avg_sq", "max_exp_avg_sq")) {
            for (float bad : new float[] {Float.NaN, -1f, Float.NEGATIVE_INFINITY}) {
                Param p = w("w", 3);
                Optimizer o = Optimizer.adam(1e-2).amsgrad(true).build(List.of(p));
                p.setGrad(Nd4j.ones(DataType.FLOAT, 3));
                o.step();
                Map<String, INDArray> state = new HashMap<>(o.stateDict());
                INDArray v = state.get("w." + slot).dup();
                v.putScalar(1, bad);
                state.put("w." + slot, v);
                var e = assertThrows(IllegalArgumentException.class, () -> o.loadStateDict(state), slot + " " + bad);
                assertTrue(e.getMessage().contains("w." + slot), e.getMessage());
            }
        }
    }

    @Test void stepCountersMustBeOneWholeNumberEachAndTheStateNotNull() {
        Param p = w("w", 3);
        Optimizer o = Optimizer.adam(1e-2).build(List.of(p));
        p.setGrad(Nd4j.ones(DataType.FLOAT, 3));
        o.step();
        Map<String, INDArray> good = o.stateDict();
        var nul = assertThrows(IllegalArgumentException.class, () -> o.loadStateDict(null));
        assertTrue(nul.getMessage().contains("null"), nul.getMessage());
        Map<String, INDArray> bads = Map.of(
                "step", Nd4j.scalar(Double.NaN), "skipped_steps", Nd4j.scalar(1.5),
                "nonfinite_steps", Nd4j.createFromArray(1L, 2L), "step ", Nd4j.scalar(Long.MAX_VALUE));
        for (var bad : bads.entrySet()) {
            Map<String, INDArray> state = new HashMap<>(good);
            state.put(bad.getKey().trim(), bad.getValue());
            var e = assertThrows(IllegalArgumentException.class, () -> o.loadStateDict(state), bad.toString());
            assertTrue(e.getMessage().contains("'" + bad.getKey().trim() + "'"), e.getMessage());
            assertEquals(1, o.stepCount(), "nothing applied");
        }
        Map<String, INDArray> asDouble = new HashMap<>(good);
        asDouble.put("step", Nd4j.scalar(1.0));                 // a whole number in a floating array is still a count
        o.loadStateDict(asDouble);
        assertEquals(1, o.stepCount());
    }

    /** |g| = 1e300 is finite: Σ g² overflows a double, the norm does not, and no step is refused as non-finite. */
    @Test void finiteGradientsWhoseSquaresOverflowAreNotNonFinite() {
        for (var ref : new boolean[] {false, true}) {
            Param p = Param.weight("big", Nd4j.createFromArray(1.0, 2.0));
            Optimizer o = Optimizer.sgd(1e-300).clipNorm(ref ? 1e301 : 0).build(List.of(p));
            p.setGrad(Nd4j.createFromArray(3e300, 4e300));
            assertTrue(o.step(), "finite gradient stepped");
            assertEquals(5e300, o.lastGradNorm(), 1e286);
            assertEquals(1.0 - 3.0, p.value().getDouble(0), 1e-12);
        }
        Param q = Param.weight("inf", Nd4j.createFromArray(1.0, 2.0));
        Optimizer o = Optimizer.sgd(0.1).build(List.of(q));
        q.setGrad(Nd4j.createFromArray(Double.POSITIVE_INFINITY, 4e300));
        var e = assertThrows(NonFiniteGradientException.class, o::step);
        assertTrue(e.getMessage().contains("'inf'"), e.getMessage());
    }

    static String shapes(List<Param> ps) {
        return Arrays.toString(ps.stream().map(Param::toString).toArray());
    }

    /**
     * step() while another thread's step() is inside the optimizer is refused with a clear error, and the running
     * step is unaffected (its guard stays set until it ends). The other thread is simulated by holding the guard, the
     * state it has while a step runs: a real race could not be made to happen on demand.
     */
    @Test void aStepWhileAnotherThreadStepsIsRefused() throws Exception {
        Param w = Param.weight("w", Nd4j.createFromArray(0.5, -1.0, 2.0));
        Optimizer o = Optimizer.sgd(0.1).build(List.of(w));
        w.setGrad(Nd4j.createFromArray(1.0, 1.0, 1.0));
        var guard = Optimizer.class.getDeclaredField("stepping");
        guard.setAccessible(true);
        var stepping = (java.util.concurrent.atomic.AtomicBoolean) guard.get(o);
        stepping.set(true);                               // another thread is inside step()
        var e = assertThrows(IllegalStateException.class, o::step);
        assertTrue(e.getMessage().contains("another thread's step() is running"), e.getMessage());
        assertTrue(stepping.get(), "the refused call must not clear the other step's guard");
        assertArrayEquals(new double[] {0.5, -1.0, 2.0}, w.value().toDoubleVector(), "nothing stepped");
        stepping.set(false);                              // that step ended
        assertTrue(o.step());
        assertArrayEquals(new double[] {0.4, -1.1, 1.9}, w.value().toDoubleVector(), 1e-15);
    }
}
