package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ndopt.Parity;
import io.ndopt.TestArrays;
import io.ndopt.param.Param;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.Grouping;
import io.ndopt.regularize.ParamMask;
import io.ndopt.regularize.PenaltyFactors;
import io.ndopt.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * With group lasso, penalty factors and penalty schedules the fused optimizer path (fast prox) equals
 * the reference path, parameters and state, by {@link Parity} (float32 threshold ties), and resume is bitwise.
 */
class StructuredParityTest {
    /**
     * fc1.W [9, 6] by rows with factors, fc2.W [6, 4] by columns, biases, a vector with index groups (by name mask).
     */
    static List<Param> model(DataType dt) {
        Random r = new Random(4);
        return List.of(Param.weight("fc1.W", TestArrays.randn(dt, r, 9, 6).muli(0.1)),
                Param.bias("fc1.b", TestArrays.randn(dt, r, 1, 6)),
                Param.weight("fc2.W", TestArrays.randn(dt, r, 6, 4).muli(0.1)),
                Param.bias("fc2.b", TestArrays.randn(dt, r, 1, 4)),
                Param.weight("emb", TestArrays.randn(dt, r, 10).muli(0.1)));
    }

    static OptimizerBuilder recipe(OptimizerBuilder base, List<Param> ps) {
        INDArray f = TestArrays.randn(ps.get(0).dtype(), new Random(8), 9, 6).muli(0.5).addi(1);
        Transforms.max(f, 0.0, false);
        return base.l1(0.02).groupLasso(GroupLasso.rows(0.3))
                .penaltySchedule("group_lasso", Schedule.linearWarmup(1, 3))
                        .penaltySchedule("l1", Schedule.exponential(1, 0.9))
                .penaltyFactors(ps.get(0), new PenaltyFactors(f, new double[] {1, 0, 2, 1, 1, 0.5, 1, 1, 3}))
                .group("second", List.of(ps.get(2)), o -> o.withGroupLasso(GroupLasso.columns(0.3)).withL1(0))
                .group("vector", List.of(ps.get(4)),
                        o -> o.withGroupLasso(GroupLasso.of(0.5, Grouping.indices(new int[][] {{0, 1, 2}, {5, 9}}))
                        .withWeights(1, 2)).withRegularized(ParamMask.names("emb")));
    }

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (Layout layout : Layout.values()) {
                out.add(Arguments.of("sgd", dt, layout,
                        (Function<List<Param>, OptimizerBuilder>) ps -> recipe(Optimizer.sgd(0.3).momentum(0.5), ps)));
                out.add(Arguments.of("adam", dt, layout,
                        (Function<List<Param>, OptimizerBuilder>) ps ->
                        recipe(Optimizer.adam(0.05).weightDecay(0.01), ps)));
                out.add(Arguments.of("adamw", dt, layout,
                        (Function<List<Param>, OptimizerBuilder>) ps ->
                        recipe(Optimizer.adamw(0.05), ps).penaltySchedule("weight_decay", Schedule.cosine(1, 5, 0))));
            }
        }
        return out.stream();
    }

    private static void steps(Optimizer o, List<Param> ps, int from, int to) {
        for (int k = from; k < to; k++) {
            Random r = new Random(100 + k);
            for (Param p : ps) p.setGrad(TestArrays.randn(p.dtype(), r, p.shape()).muli(0.1));
            o.step();
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("configs")
    void fastEqualsReference(String name, DataType dt, Layout layout, Function<List<Param>, OptimizerBuilder> recipe) {
        List<Param> ref = model(dt), fast = model(dt);
        Optimizer oRef = recipe.apply(ref).impl(UpdatePath.REFERENCE).layout(layout).build(ref);
        Optimizer oFast = recipe.apply(fast).impl(UpdatePath.AUTO).layout(layout).build(fast);
        steps(oRef, ref, 0, 8);
        steps(oFast, fast, 0, 8);
        Parity.assertOptimizers(oRef, oFast, true, name + " " + dt + " " + layout);
        long zeros = 0;
        for (Param p : ref) for (double v : p.value().ravel().toDoubleVector()) if (v == 0) zeros++;
        assertEquals(true, zeros >= 5, "the configuration produces exact zeros (" + zeros + ")");
        assertEquals(oRef.penalty(), oFast.penalty(), dt == DataType.DOUBLE ? 1e-10 : 1e-3);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("configs")
    void resumeIsBitwise(String name, DataType dt, Layout layout, Function<List<Param>, OptimizerBuilder> recipe) {
        List<Param> straight = model(dt);
        steps(recipe.apply(straight).layout(layout).build(straight), straight, 0, 10);
        List<Param> first = model(dt);
        Optimizer b = recipe.apply(first).layout(layout).build(first);
        steps(b, first, 0, 5);
        Map<String, INDArray> state = b.stateDict();
        List<Param> resumed = model(dt);
        for (int i = 0; i < resumed.size(); i++) resumed.get(i).setValue(first.get(i).value());
        Optimizer c = recipe.apply(resumed).layout(layout).build(resumed);
        c.loadStateDict(state);
        steps(c, resumed, 5, 10);
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i).value().ravel().toDoubleVector(),
                    resumed.get(i).value().ravel().toDoubleVector(), 0.0, name);
        }
    }
}
