package io.ndopt.internal.cuda;

import io.ndopt.device.Device;
import io.ndopt.device.GpuInfo;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.internal.device.Gpu;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.Parity;
import io.ndopt.internal.gpusuite.Tolerance;
import io.ndopt.optim.UpdatePath;
import io.ndopt.optim.NonFinitePolicy;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.internal.gpusuite.Recipes;
import io.ndopt.internal.gpusuite.Recipes.Recipe;
import io.ndopt.param.Param;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.PenaltyFactors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The whole device path without a GPU: the CUDA engine (JDK 22+) against a stand-in driver and
 * NVRTC ({@link FakeCuda}), which keeps "device" memory in
 * host memory and runs ndopt's real kernel sources compiled for the host with IEEE arithmetic. So
 * the binding tables, argument marshalling, offsets, flags, templates, reduction and state transfers
 * are exercised, and the results must match the CPU reference ({@link Parity} within the GPU suite's tolerances).
 */
class FakeDriverTest {
    @BeforeAll static void install() { FakeCuda.install(); }

    @AfterAll static void restore() { FakeCuda.restore(); }

    @Test void discoversTheDeviceAndTheCompiler() {
        List<GpuInfo> gpus = Gpu.engine().devices();
        assertEquals(1, gpus.size());
        assertEquals(90, gpus.get(0).computeCapability());
        assertTrue(Gpu.engine().compiler().startsWith("NVRTC 13.0"), Gpu.engine().compiler());
        assertEquals("", Gpu.whyNot(Device.cuda(0)));
        assertTrue(Gpu.whyNot(Device.cuda(1)).contains("does not exist"));
        var e = assertThrows(IllegalStateException.class,
                () -> Optimizer.adam(1e-3).device(Device.cuda(1)).build(params(DataType.FLOAT)));
        assertTrue(e.getMessage().contains("cuda:1"), e.getMessage());
    }

    private static List<Param> params(DataType dt) {
        SplittableRandom r = new SplittableRandom(7);
        List<Param> ps = new ArrayList<>();
        long[][] shapes = {{13, 7}, {1, 7}, {301}, {3}, {7, 1}, {1}};
        for (int i = 0; i < shapes.length; i++) {
            INDArray v = random(r, dt, 0.2, shapes[i]);
            ps.add(i % 2 == 0 ? Param.weight("w" + i, v) : Param.bias("b" + i, v));
        }
        return ps;
    }

    static INDArray random(SplittableRandom r, DataType dt, double scale, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = scale * (2 * r.nextDouble() - 1);
        return Nd4j.createFromArray(v).castTo(dt).reshape('c', shape);
    }

    /** Parameter values and optimizer state after some steps, copied to the host. */
    private record Run(List<Param> params, Map<String, INDArray> state) {}

    private static Run runSteps(Recipe recipe, DataType dt, Device d, UpdatePath impl, int steps) {
        List<Param> ps = params(dt);
        OptimizerBuilder b = recipe.get(ps).device(d);
        if (!d.isCuda()) b.impl(impl);
        Optimizer o = b.build(ps);
        for (int t = 1; t <= steps; t++) {
            SplittableRandom r = new SplittableRandom(100 + t);
            for (Param p : ps) p.setGrad(random(r, dt, 1.0, p.shape()));
            assertTrue(o.step());
        }
        return finish(ps, o);
    }

    /**
     * Every recipe of {@link Recipes}, parameters and state, by {@link Parity} with the GPU suite's own
     * bound ({@link Tolerance#F64} or {@link Tolerance#F32}, the rule every parity check shares) and no ties.
     */
    @Test void everyRuleMatchesTheCpuReference() {
        for (Recipe recipe : Recipes.ALL) {
            for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
                Run cpu = runSteps(recipe, dt, Device.cpu(), UpdatePath.REFERENCE, 4);
                Run dev = runSteps(recipe, dt, Device.cuda(0), UpdatePath.AUTO, 4);
                Tolerance t = Tolerance.of(dt == DataType.FLOAT);
                Parity.assertArrays(cpu.params(), dev.params(), cpu.state(), dev.state(), t, false,
                        recipe + " " + dt);
            }
        }
    }

    /**
     * Group lasso (rows, columns), sparse group lasso and per-weight L1 factors on the device: the same
     * parameters and state as the CPU reference, and the same exact zeros (the proxes run on the host
     * values after the device step, with the CPU's code).
     */
    @Test void structuredProxesMatchTheCpuReference() {
        List<Function<List<Param>, OptimizerBuilder>> recipes = List.of(
                ps -> Optimizer.adam(0.05).groupLasso(GroupLasso.rows(1.5)),
                ps -> Optimizer.sgd(0.1).momentum(0.9).l1(0.05).groupLasso(GroupLasso.columns(0.5)),
                ps -> Optimizer.adamw(0.05).l1(1.0).penaltyFactors(ps.get(0),
                        PenaltyFactors.perWeight(random(new SplittableRandom(3), DataType.DOUBLE, 1, 13, 7)
                                .add(1.0))));
        for (int i = 0; i < recipes.size(); i++) {
            for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
                Run cpu = runStructured(recipes.get(i), dt, Device.cpu());
                Run dev = runStructured(recipes.get(i), dt, Device.cuda(0));
                long zeros = cpu.params().stream().mapToLong(p -> p.value().eq(0).castTo(DataType.INT).sumNumber()
                        .longValue()).sum();
                assertTrue(zeros > 0, "recipe " + i + " " + dt + " makes no exact zero: a weak test");
                Tolerance t = Tolerance.of(dt == DataType.FLOAT);
                Parity.assertArrays(cpu.params(), dev.params(), cpu.state(), dev.state(),
                        t, false, "structured recipe " + i + " " + dt);
            }
        }
    }

    /** Copies of the parameter values and the optimizer state; closes the optimizer. */
    private static Run finish(List<Param> ps, Optimizer o) {
        List<Param> values = new ArrayList<>();
        ps.forEach(p -> values.add(Param.weight(p.name(), p.value().dup())));
        Map<String, INDArray> state = new LinkedHashMap<>(o.stateDict());
        o.close();
        return new Run(values, state);
    }

    private static Run runStructured(Function<List<Param>, OptimizerBuilder> recipe, DataType dt, Device d) {
        SplittableRandom init = new SplittableRandom(11);
        List<Param> ps = List.of(Param.weight("w", random(init, dt, 0.2, 13, 7)),
                Param.weight("v", random(init, dt, 0.2, 9, 5)), Param.bias("b", random(init, dt, 0.2, 1, 7)));
        Optimizer o = recipe.apply(ps).device(d).build(ps);
        for (int t = 1; t <= 6; t++) {
            SplittableRandom r = new SplittableRandom(200 + t);
            for (Param p : ps) p.setGrad(random(r, dt, 0.3, p.shape()));
            assertTrue(o.step());
        }
        return finish(ps, o);
    }

    /**
     * NonFinitePolicy.PROPAGATE on the device: a NaN gradient goes in as on the CPU reference (the same NaN
     * positions, the same finite values within the suite's bound), with and without clipping, and is counted.
     */
    @Test void propagatedNonFiniteStepMatchesTheCpuReference() {
        for (double clip : new double[] {0, 1.0}) {
            Run[] runs = new Run[2];
            for (int k = 0; k < 2; k++) {
                Device d = k == 0 ? Device.cpu() : Device.cuda(0);
                List<Param> ps = params(DataType.FLOAT);
                OptimizerBuilder b = Optimizer.adam(1e-2).clipNorm(clip).onNonFinite(NonFinitePolicy.PROPAGATE)
                        .device(d);
                if (k == 0) b.impl(UpdatePath.REFERENCE);
                Optimizer o = b.build(ps);
                for (int t = 1; t <= 3; t++) {
                    SplittableRandom r = new SplittableRandom(300 + t);
                    for (Param p : ps) p.setGrad(random(r, DataType.FLOAT, 1.0, p.shape()));
                    if (t == 2) ps.get(2).grad().putScalar(100, Float.NaN);
                    assertTrue(o.step(), "PROPAGATE takes every step");
                }
                assertEquals(1, o.nonFiniteSteps(), d + " clip " + clip);
                assertEquals(3, o.stepCount());
                runs[k] = finish(ps, o);
            }
            float[] w2 = runs[1].params().get(2).value().toFloatVector();
            assertTrue(Float.isNaN(w2[100]), "the NaN reached w2[100] on the device");
            if (clip == 0) assertFalse(Float.isNaN(w2[99]), "and only there without clipping");
            else assertTrue(Float.isNaN(w2[99]), "clipping by a NaN norm makes every gradient NaN");
            Tolerance t = Tolerance.of(true);
            Parity.assertArrays(runs[0].params(), runs[1].params(), runs[0].state(), runs[1].state(),
                    t, false, "PROPAGATE, clip " + clip);
        }
    }

    /** NaN in, NaN out through the device's soft threshold (L1) too, as on the CPU paths. */
    @Test void aNaNWeightStaysNaNThroughTheDeviceSoftThreshold() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            List<Param> ps = params(dt);
            Optimizer o = Optimizer.adamw(1e-2).l1(50).onNonFinite(NonFinitePolicy.PROPAGATE).device(Device.cuda(0))
                    .build(ps);
            SplittableRandom r = new SplittableRandom(5);
            for (Param p : ps) p.setGrad(random(r, dt, 1.0, p.shape()));
            ps.get(2).grad().putScalar(100, Double.NaN);
            assertTrue(o.step());
            Run run = finish(ps, o);
            double[] w2 = run.params().get(2).value().toDoubleVector();
            assertTrue(Double.isNaN(w2[100]), dt + ": the NaN gradient's weight is NaN after the L1 prox, got " + w2[100]);
            assertEquals(0.0, w2[99], 0.0, dt + ": a threshold lr·l1 = 0.5 zeroes every finite weight of scale 0.2");
        }
    }

    /** Zero-size parameters on the device: a no-op update, state of size 0, a state that loads back. */
    @Test void zeroSizeParametersStepOnTheDevice() {
        List<Param> ps = List.of(Param.weight("empty", Nd4j.create(DataType.FLOAT, 0, 3)),
                Param.weight("real", Nd4j.ones(DataType.FLOAT, 5)));
        Optimizer o = Optimizer.adamw(1e-2).l1(1e-3).device(Device.cuda(0)).build(ps);
        ps.get(1).setGrad(Nd4j.ones(DataType.FLOAT, 5));
        assertTrue(o.step());
        assertTrue(o.step());
        Map<String, INDArray> state = o.stateDict();
        assertEquals(0, state.get("empty.exp_avg").length());
        Optimizer again = Optimizer.adamw(1e-2).l1(1e-3).device(Device.cuda(0)).build(List.of(
                Param.weight("empty", Nd4j.create(DataType.FLOAT, 0, 3)), Param.weight("real", Nd4j.ones(DataType.FLOAT, 5))));
        again.loadStateDict(state);
        assertEquals(2, again.stepCount());
        o.close();
        again.close();
    }

    @Test void nonFiniteStepChangesNothingOnTheDevice() {
        List<Param> ps = params(DataType.FLOAT);
        Optimizer o = Optimizer.adamw(1e-2).onNonFinite(NonFinitePolicy.SKIP).device(Device.cuda(0)).build(ps);
        ps.forEach(p -> p.setGrad(p.value().mul(0.5)));
        assertTrue(o.step());
        List<INDArray> before = new ArrayList<>();
        ps.forEach(p -> before.add(p.value().dup()));
        Map<String, INDArray> stateBefore = new HashMap<>(o.stateDict());
        stateBefore.remove("skipped_steps");
        ps.get(2).grad().putScalar(100, Float.NaN);
        assertFalse(o.step());
        for (int i = 0; i < ps.size(); i++) assertEquals(before.get(i), ps.get(i).value());
        Map<String, INDArray> stateAfter = new HashMap<>(o.stateDict());
        stateAfter.remove("skipped_steps");
        assertEquals(stateBefore, stateAfter);
        assertEquals(1, o.stepCount());
        assertEquals(1, o.skippedSteps());
        o.close();
        assertThrows(IllegalStateException.class, o::step, "a closed device optimizer refuses to step");
    }
}
