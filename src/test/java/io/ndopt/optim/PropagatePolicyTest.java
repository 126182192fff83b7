package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ndopt.Parity;
import io.ndopt.TestArrays;
import io.ndopt.internal.kernel.FusedKernels;
import io.ndopt.param.Param;
import io.ndopt.regularize.GroupLasso;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link NonFinitePolicy#PROPAGATE}: with finite gradients it steps exactly as the checking policies do
 * (the Σ g² summed in the update's pass is only a by-product); with a NaN/Inf it checks nothing first, as
 * {@code torch.optim} does, and the fused path writes what the reference path writes.
 */
class PropagatePolicyTest {
    /** Three tensors, one long enough to be split across threads; a bias of odd length. */
    private static List<Param> model(DataType dt, long seed) {
        Random r = new Random(seed);
        return List.of(Param.weight("w1", TestArrays.randn(dt, r, 70, 1000)),
                Param.bias("b1", TestArrays.randn(dt, r, 37)), Param.weight("w2", TestArrays.randn(dt, r, 5, 9)));
    }

    private static void gradients(List<Param> ps, long step) {
        Random r = new Random(1000 + step);
        for (Param p : ps) p.setGrad(TestArrays.randn(p.dtype(), r, p.shape()));
    }

    static Stream<Arguments> recipes() {
        List<Arguments> out = new ArrayList<>();
        List<Supplier<OptimizerBuilder>> builders = List.of(
                () -> Optimizer.sgd(0.05).momentum(0.9).nesterov(true).l2(1e-3),
                () -> Optimizer.adam(1e-3).amsgrad(true),
                () -> Optimizer.adamw(1e-3).weightDecay(0.05),
                () -> Optimizer.adamw(1e-3).l1(0.1),
                () -> Optimizer.adam(1e-3).groupLasso(GroupLasso.rows(0.05)));
        String[] names = {"sgd_nesterov_l2", "adam_amsgrad", "adamw", "adamw_l1", "adam_group_lasso"};
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (Layout layout : Layout.values()) {
                for (int k = 0; k < names.length; k++) out.add(Arguments.of(names[k], builders.get(k), dt, layout));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {2} {3}")
    @MethodSource("recipes")
    void finiteStepsAreTheCheckingPolicysStepsBitForBit(String name, Supplier<OptimizerBuilder> recipe, DataType dt,
                                                        Layout layout) {
        for (UpdatePath impl : new UpdatePath[] {UpdatePath.AUTO, UpdatePath.REFERENCE}) {
            List<Param> checked = model(dt, 3), propagating = model(dt, 3);
            Optimizer a = recipe.get().impl(impl).layout(layout).build(checked);
            Optimizer b = recipe.get().impl(impl).layout(layout).onNonFinite(NonFinitePolicy.PROPAGATE)
                    .build(propagating);
            for (long t = 1; t <= 4; t++) {
                gradients(checked, t);
                gradients(propagating, t);
                assertTrue(a.step());
                assertTrue(b.step());
                double norm = a.lastGradNorm();     // float lanes, summed in another order: float32 to 1e-4
                assertEquals(norm, b.lastGradNorm(), norm * (dt == DataType.FLOAT ? 1e-4 : 1e-12),
                        name + " " + impl + " step " + t + ": the norm summed in the update's pass");
            }
            for (int i = 0; i < checked.size(); i++) {
                assertBitwise(checked.get(i).value(), propagating.get(i).value(), name + " " + impl + " "
                        + checked.get(i).name());
            }
            Map<String, INDArray> sa = a.stateDict(), sb = b.stateDict();
            assertEquals(sa.keySet(), sb.keySet());
            for (String k : sa.keySet()) assertBitwise(sa.get(k), sb.get(k), name + " " + impl + ": state " + k);
            assertEquals(0, b.nonFiniteSteps());
        }
    }

    @ParameterizedTest(name = "{0} {2} {3}")
    @MethodSource("recipes")
    void aNonFiniteGradientGoesInAndTheFusedPathWritesWhatTheReferenceWrites(
            String name, Supplier<OptimizerBuilder> recipe, DataType dt, Layout layout) {
        assumeTrue(FusedKernels.available(), FusedKernels.status());
        List<Param> ref = model(dt, 5), fast = model(dt, 5);
        Optimizer r = recipe.get().impl(UpdatePath.REFERENCE).layout(layout).onNonFinite(NonFinitePolicy.PROPAGATE)
                .build(ref);
        Optimizer f = recipe.get().impl(UpdatePath.FUSED).layout(layout).onNonFinite(NonFinitePolicy.PROPAGATE)
                .build(fast);
        for (long t = 1; t <= 3; t++) {
            gradients(ref, t);
            gradients(fast, t);
            if (t == 2) {
                for (List<Param> ps : List.of(ref, fast)) {
                    ps.get(0).grad().putScalar(new long[] {3, 999}, Double.NaN);   // the last element of a row
                    ps.get(1).grad().putScalar(36, Double.POSITIVE_INFINITY);     // a vector's tail
                }
            }
            assertTrue(r.step(), "PROPAGATE takes every step");
            assertTrue(f.step());
        }
        assertEquals(3, f.stepCount());
        assertEquals(1, f.nonFiniteSteps());
        assertEquals(1, r.nonFiniteSteps());
        assertTrue(Double.isFinite(f.lastGradNorm()), "the last step's gradients are finite again");
        double hit = fast.get(0).value().getDouble(3, 999);
        // NaN in, NaN out: the soft threshold (w − clamp(w, −t, t)) keeps a NaN weight NaN on every path
        assertTrue(Double.isNaN(hit), "the NaN reached w1[3, 999]: " + hit);
        if (name.contains("group")) {
            assertTrue(Double.isNaN(fast.get(0).value().getDouble(3, 0)), "a NaN row norm makes the row NaN");
            assertTrue(Double.isFinite(fast.get(0).value().getDouble(2, 0)), "and only that row");
        }
        assertTrue(Double.isNaN(fast.get(1).value().getDouble(36)) || name.startsWith("sgd"),
                "an Inf gradient makes Adam's step Inf/Inf = NaN at b1[36]");
        Parity.assertOptimizers(r, f, name.endsWith("l1") || name.contains("group"), name);
        Optimizer restored = recipe.get().layout(layout).onNonFinite(NonFinitePolicy.PROPAGATE).build(model(dt, 5));
        restored.loadStateDict(f.stateDict());
        assertEquals(1, restored.nonFiniteSteps(), "nonfinite_steps is part of the state");
    }

    @Test
    void clippingByAnInfiniteNormScalesEveryGradientByZeroAsPyTorchDoes() {
        // torch.nn.utils.clip_grad_norm_(max_norm=1) on an Inf norm: clip_coef = 1 / (inf + 1e-6) = 0, so every
        // gradient is multiplied by 0 (inf·0 = NaN); Adam's first step with a zero gradient moves nothing
        for (UpdatePath impl : new UpdatePath[] {UpdatePath.AUTO, UpdatePath.REFERENCE}) {
            Param w = Param.weight("w", Nd4j.createFromArray(1f, -2f, 3f, 4f));
            Optimizer opt = Optimizer.adam(0.1).clipNorm(1.0).impl(impl).onNonFinite(NonFinitePolicy.PROPAGATE)
                    .build(List.of(w));
            w.setGrad(Nd4j.createFromArray(0.5f, Float.POSITIVE_INFINITY, -7f, 2f));
            assertTrue(opt.step());
            assertEquals(Double.POSITIVE_INFINITY, opt.lastGradNorm());
            float[] v = w.value().toFloatVector();
            assertEquals(1f, v[0], 0f, impl.toString());
            assertTrue(Float.isNaN(v[1]), impl + ": inf·0 = NaN");
            assertEquals(3f, v[2], 0f);
            assertEquals(4f, v[3], 0f);
            assertEquals(1, opt.nonFiniteSteps());
        }
    }

    @Test
    void clippingByANaNNormMakesEveryGradientNaN() {
        for (UpdatePath impl : new UpdatePath[] {UpdatePath.AUTO, UpdatePath.REFERENCE}) {      // (ND4J's scalar mul reads NaN as 1e-5)
            for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                Param w = Param.weight("w", Nd4j.createFromArray(1.0, 2.0, 3.0).castTo(dt));
                Optimizer opt = Optimizer.sgd(0.1).clipNorm(1.0).impl(impl).onNonFinite(NonFinitePolicy.PROPAGATE)
                        .build(List.of(w));
                w.setGrad(Nd4j.createFromArray(0.5, Double.NaN, 1.0).castTo(dt));
                assertTrue(opt.step());
                for (double x : w.value().toDoubleVector()) {
                    assertTrue(Double.isNaN(x), impl + " " + dt + ": torch.clamp(NaN, max=1) is NaN, got " + x);
                }
            }
        }
    }

    @Test
    void finiteFloat32GradientsWhoseSumOverflowsAreNotCountedAsNonFinite() {
        Param a = Param.weight("a", Nd4j.ones(DataType.FLOAT, 100_000));
        Optimizer opt = Optimizer.sgd(1e-30).onNonFinite(NonFinitePolicy.PROPAGATE).build(List.of(a));
        a.grad().assign(1e20f);                       // Σ g² = 1e45 overflows float32 lanes; every value is finite
        assertTrue(opt.step());
        assertEquals(0, opt.nonFiniteSteps());
        assertEquals(1e20 * Math.sqrt(100_000), opt.lastGradNorm(), 1e20 * Math.sqrt(100_000) * 1e-5);
        for (float x : a.value().toFloatVector()) assertEquals(1 - 1e-10f, x, 1e-6f);
    }

    @Test
    void aStateSavedWithoutTheNonFiniteCounterStillLoads() {
        Param w = Param.weight("w", Nd4j.createFromArray(1.0, 2.0));
        Optimizer a = Optimizer.adam(0.1).build(List.of(w));
        w.setGrad(Nd4j.createFromArray(0.5, 1.0));
        a.step();
        Map<String, INDArray> old = new java.util.LinkedHashMap<>(a.stateDict());
        assertEquals(0L, old.remove("nonfinite_steps").getLong(0));      // as states saved before the counter
        Optimizer b = Optimizer.adam(0.1).build(List.of(Param.weight("w", Nd4j.createFromArray(1.0, 2.0))));
        b.loadStateDict(old);
        assertEquals(1, b.stepCount());
        assertEquals(0, b.nonFiniteSteps());
    }

    /** Every element bit for bit (NaN equals NaN): {@code INDArray.equals} allows 1e-5. */
    private static void assertBitwise(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.shape(), actual.shape(), what);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.castTo(DataType.DOUBLE).dup('c').data().asDouble(),
                actual.castTo(DataType.DOUBLE).dup('c').data().asDouble(), what);
    }

    @Test
    void theCheckingPoliciesAreUnchangedNextToIt() {
        INDArray start = Nd4j.createFromArray(1.0, 2.0);
        for (NonFinitePolicy p : new NonFinitePolicy[] {NonFinitePolicy.SKIP, NonFinitePolicy.PROPAGATE}) {
            Param w = Param.weight("w", start.dup());
            Optimizer opt = Optimizer.adam(0.1).onNonFinite(p).build(List.of(w));
            w.setGrad(Nd4j.createFromArray(Double.NaN, 1.0));
            boolean taken = opt.step();
            assertEquals(p == NonFinitePolicy.PROPAGATE, taken, p.toString());
            assertEquals(p == NonFinitePolicy.SKIP ? 1 : 0, opt.skippedSteps(), p.toString());
            assertEquals(p == NonFinitePolicy.PROPAGATE ? 1 : 0, opt.nonFiniteSteps(), p.toString());
            assertEquals(p == NonFinitePolicy.SKIP, w.value().equals(start), p + ": parameters");
        }
    }
}
