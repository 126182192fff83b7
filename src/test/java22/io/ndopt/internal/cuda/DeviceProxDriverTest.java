package io.ndopt.internal.cuda;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.Parity;
import io.ndopt.device.Device;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceParams;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.internal.gpusuite.Tolerance;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.param.Param;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.Grouping;
import io.ndopt.regularize.PenaltyFactors;
import java.util.ArrayList;
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
 * Group lasso (rows, columns, index groups, group weights) and per-weight L1 factors as device kernels, with the
 * values resident on the device (as under a network on the GPU): equal to the CPU reference at the GPU suite's
 * bounds (float64 1e-12, float32 1e-5 relative) with exact zeros made, and a step moves no parameter data: no
 * host-to-device copy and one device-to-host copy (the Σg² the step needs) per step, counted by the stand-in.
 * Before the kernels the device path downloaded every value and uploaded it again each step.
 */
class DeviceProxDriverTest {
    private static final int STEPS = 6;

    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    private static INDArray random(SplittableRandom r, DataType dt, double scale, long... shape) {
        return FakeDriverTest.random(r, dt, scale, shape);
    }

    private static List<Function<List<Param>, OptimizerBuilder>> recipes() {
        return List.of(
                ps -> Optimizer.adam(0.05).groupLasso(new GroupLasso(1.5, Grouping.rows(),
                        new double[] {1, 2, 0.5, 1, 1, 3, 1, 1, 0.25, 1, 1, 2, 1})),
                ps -> Optimizer.sgd(0.1).momentum(0.9).l1(0.05).groupLasso(GroupLasso.columns(0.5)),
                ps -> Optimizer.adamw(0.05).groupLasso(new GroupLasso(0.8, Grouping.indices(
                        new int[][] {{0, 1, 2, 3, 4, 5, 6}, {10, 20, 30, 40, 50, 60}, {64}, {7, 8, 9, 11, 12}}),
                        new double[] {1, 0.5, 2, 1.5})),
                ps -> Optimizer.adamw(0.05).l1(1.0).groupLasso(GroupLasso.rows(0.3)).penaltyFactors(ps.get(0),
                        new PenaltyFactors(random(new SplittableRandom(3), DataType.DOUBLE, 1, 13, 7).add(1.0),
                                null)));
    }

    private static List<Param> params(DataType dt) {
        SplittableRandom init = new SplittableRandom(11);
        return List.of(Param.weight("w", random(init, dt, 0.2, 13, 7)),
                Param.weight("v", random(init, dt, 0.2, 13, 5).mul(0.5)));
    }

    @Test void structuredProxesOnTheDeviceEqualTheCpuAndMoveNoData() {
        List<Function<List<Param>, OptimizerBuilder>> recipes = recipes();
        for (int i = 0; i < recipes.size(); i++) {
            for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
                List<Param> cpuParams = params(dt), devParams = params(dt);
                Optimizer cpu = recipes.get(i).apply(cpuParams).build(cpuParams);
                Optimizer dev = recipes.get(i).apply(devParams).device(Device.cuda(0)).build(devParams);
                DeviceParams dp = DeviceParams.of(dev);
                DeviceOps ops = dp.ops();
                dp.resident(true);
                for (int t = 1; t <= STEPS; t++) {
                    SplittableRandom r = new SplittableRandom(200 + t);
                    for (int k = 0; k < cpuParams.size(); k++) {
                        INDArray g = random(r, dt, 0.3, cpuParams.get(k).shape());
                        cpuParams.get(k).setGrad(g);
                        INDArray h = g.dup('c');
                        ops.upload(dp.grad(devParams.get(k)), h.data().addressPointer().address(),
                                h.length() * dt.width());
                        ops.synchronize();
                    }
                    assertTrue(cpu.step());
                    long htod = FakeHooks.count(FakeHooks.COPIES_HTOD), dtoh = FakeHooks.count(FakeHooks.COPIES_DTOH);
                    assertTrue(dev.step());
                    assertEquals(htod, FakeHooks.count(FakeHooks.COPIES_HTOD), "recipe " + i + ": no upload in a step");
                    assertEquals(dtoh + 1, FakeHooks.count(FakeHooks.COPIES_DTOH),
                            "recipe " + i + ": one download in a step (the sum of squares)");
                }
                dp.resident(false);
                long zeros = cpuParams.stream().mapToLong(p -> p.value().eq(0).castTo(DataType.INT).sumNumber()
                        .longValue()).sum();
                assertTrue(zeros > 0, "recipe " + i + " " + dt + " makes no exact zero: a weak test");
                Parity.assertArrays(copies(cpuParams), copies(devParams), state(cpu), state(dev),
                        Tolerance.of(dt == DataType.FLOAT), false, "device prox recipe " + i + " " + dt);
                cpu.close();
                dev.close();
            }
        }
    }

    private static List<Param> copies(List<Param> ps) {
        List<Param> out = new ArrayList<>();
        ps.forEach(p -> out.add(Param.weight(p.name(), p.value().dup())));
        return out;
    }

    private static Map<String, INDArray> state(Optimizer o) { return new LinkedHashMap<>(o.stateDict()); }
}
