package io.ndopt.internal.cuda;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.Parity;
import io.ndopt.device.Device;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.internal.gpusuite.Tolerance;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.optim.Rule;
import io.ndopt.optim.UpdatePath;
import io.ndopt.param.Param;
import io.ndopt.schedule.Schedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adafactor and Muon on the device (family.cu's kernels, Muon's Newton–Schulz through the stand-in's cuBLAS) against
 * the CPU reference, on shapes that exercise every branch: a 3-D parameter (a batch of matrices for Adafactor, an aux
 * parameter for Muon), tall and wide matrices (Muon transposes the tall one), an A×1 column, a [1, n] bias row and a
 * vector; state in the checkpoint format; resume on the device equal bit for bit to an uninterrupted run.
 */
class FamilyDeviceTest {
    @BeforeAll static void install() { FakeCuda.install(); }

    @AfterAll static void restore() { FakeCuda.restore(); }

    private static final List<Supplier<OptimizerBuilder>> RECIPES = List.of(
            () -> Optimizer.adafactor(0.05).weightDecay(0.01),
            () -> Optimizer.adafactor(0.5).beta2Decay(-0.5).adafactorEps(1e-20, 1e-3).clipThreshold(1.5)
                    .elasticNet(0.002, 0.01).clipNorm(0.8).schedule(Schedule.cosine(0.5, 6, 1e-3)),
            () -> Optimizer.muon(0.02).muonParams(Rule.Muon.MuonParams.WEIGHTS).weightDecay(0.05),
            () -> Optimizer.muon(0.05).muonParams(Rule.Muon.MuonParams.WEIGHTS).nesterov(false).momentum(0.3)
                    .adjustLr(Rule.Muon.AdjustLr.MATCH_RMS_ADAMW).l1(1e-3).maximize(true).clipNorm(1.0));

    private static List<Param> params(DataType dt) {
        SplittableRandom r = new SplittableRandom(17);
        long[][] shapes = {{2, 5, 3}, {9, 4}, {4, 11}, {1, 6}, {7}, {5, 1}};
        List<Param> ps = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            INDArray v = FakeDriverTest.random(r, dt, 0.3, shapes[i]);
            ps.add(i == 3 || i == 4 ? Param.bias("b" + i, v) : Param.weight("w" + i, v));
        }
        return ps;
    }

    private record Run(List<Param> params, Map<String, INDArray> state) {}

    /** {@code steps} steps from step {@code from + 1} (gradients by step number), then values and state. */
    private static Run run(Optimizer o, List<Param> ps, int from, int steps) {
        for (int t = from + 1; t <= from + steps; t++) {
            SplittableRandom r = new SplittableRandom(500 + t);
            for (Param p : ps) p.setGrad(FakeDriverTest.random(r, p.dtype(), 1.0, p.shape()));
            assertTrue(o.step());
        }
        List<Param> values = new ArrayList<>();
        ps.forEach(p -> values.add(Param.weight(p.name(), p.value().dup())));
        return new Run(values, new LinkedHashMap<>(o.stateDict()));
    }

    @Test void adafactorAndMuonOnTheDeviceMatchTheCpuReference() {
        for (int i = 0; i < RECIPES.size(); i++) {
            for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                List<Param> cpuParams = params(dt), devParams = params(dt);
                Optimizer cpu = RECIPES.get(i).get().impl(UpdatePath.REFERENCE).build(cpuParams);
                Optimizer dev = RECIPES.get(i).get().device(Device.cuda(0)).build(devParams);
                Run a = run(cpu, cpuParams, 0, 5), b = run(dev, devParams, 0, 5);
                dev.close();
                if (i >= 2) assertEquals(List.of("w1", "w2", "w5"), dev.muonParams());
                assertTrue(a.state().containsKey(i < 2 ? "w0.row_var" : "w1.momentum_buffer"), a.state().keySet().toString());
                if (i < 2) assertArrayEquals(new long[] {2, 5, 1}, b.state().get("w0.row_var").shape());
                if (i < 2) assertArrayEquals(new long[] {2, 1, 3}, b.state().get("w0.col_var").shape());
                assertMoved(cpuParams, params(dt), "recipe " + i);
                Parity.assertArrays(a.params(), b.params(), a.state(), b.state(), Tolerance.of(dt == DataType.FLOAT),
                        false, "recipe " + i + " " + dt);
            }
        }
    }

    /** Every parameter moved away from its start: the comparison above compares real steps. */
    private static void assertMoved(List<Param> after, List<Param> before, String what) {
        for (int j = 0; j < after.size(); j++) {
            assertNotEquals(before.get(j).value(), after.get(j).value(), what + ": " + after.get(j).name() + " did not move");
        }
    }

    private static void assertBitwise(INDArray a, INDArray b, String what) {
        assertArrayEquals(a.shape(), b.shape(), what);
        assertEquals(a.dataType(), b.dataType(), what);
        assertArrayEquals(a.dup('c').castTo(DataType.DOUBLE).data().asDouble(),
                b.dup('c').castTo(DataType.DOUBLE).data().asDouble(), what);
    }

    /** Three steps, the state saved and loaded into a new device optimizer, three more: bitwise the six-step run. */
    @Test void resumeOnTheDeviceIsBitwise() {
        for (int i = 0; i < RECIPES.size(); i++) {
            for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                List<Param> whole = params(dt);
                Optimizer straight = RECIPES.get(i).get().device(Device.cuda(0)).build(whole);
                run(straight, whole, 0, 3);
                Run six = run(straight, whole, 3, 3);
                straight.close();

                List<Param> first = params(dt);
                Optimizer before = RECIPES.get(i).get().device(Device.cuda(0)).build(first);
                Run three = run(before, first, 0, 3);
                before.close();
                List<Param> second = params(dt);
                for (int j = 0; j < second.size(); j++) second.get(j).value().assign(three.params().get(j).value());
                Optimizer after = RECIPES.get(i).get().device(Device.cuda(0)).build(second);
                after.loadStateDict(three.state());
                Run resumed = run(after, second, 3, 3);
                after.close();
                for (int j = 0; j < whole.size(); j++) {
                    assertBitwise(six.params().get(j).value(), resumed.params().get(j).value(),
                            "recipe " + i + " " + dt + " " + whole.get(j).name());
                }
                assertEquals(six.state().keySet(), resumed.state().keySet());
                for (String k : six.state().keySet()) {
                    assertBitwise(six.state().get(k), resumed.state().get(k), "recipe " + i + " " + dt + " " + k);
                }
            }
        }
    }
}
