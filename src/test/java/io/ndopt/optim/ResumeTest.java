package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ndopt.param.Param;
import io.ndopt.schedule.Schedule;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** N steps, export state, a fresh optimizer imports it, N more steps == 2N uninterrupted steps, bitwise. */
class ResumeTest {
    static Stream<Arguments> recipes() {
        return Stream.of(
                Arguments.of("sgd-momentum", (Supplier<OptimizerBuilder>) () -> Optimizer.sgd(0.05).momentum(0.9).weightDecay(0.01).schedule(Schedule.cosine(0.05, 10, 0))),
                Arguments.of("adam-amsgrad", (Supplier<OptimizerBuilder>) () -> Optimizer.adam(0.01).amsgrad(true).weightDecay(0.01).schedule(Schedule.step(0.01, 3, 0.5))),
                Arguments.of("adamw", (Supplier<OptimizerBuilder>) () -> Optimizer.adamw(0.01).schedule(Schedule.warmupCosine(0.01, 3, 12, 0))),
                Arguments.of("prox-l1", (Supplier<OptimizerBuilder>) () -> Optimizer.sgd(0.1).l1(0.5).schedule(Schedule.exponential(0.1, 0.9))));
    }

    private static List<Param> params() {
        Nd4j.getRandom().setSeed(3);
        return List.of(Param.weight("w", Nd4j.randn(DataType.FLOAT, 8, 5)), Param.bias("b", Nd4j.randn(DataType.FLOAT, 1, 5)));
    }

    private static void steps(Optimizer o, List<Param> ps, int from, int to) {
        for (int k = from; k < to; k++) {
            Nd4j.getRandom().setSeed(1000 + k);
            for (Param p : ps) p.setGrad(Nd4j.randn(p.dtype(), p.shape()));
            o.step();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void resumeIsBitwiseIdentical(String name, Supplier<OptimizerBuilder> recipe) {
        List<Param> straight = params();
        Optimizer a = recipe.get().build(straight);
        steps(a, straight, 0, 12);

        List<Param> first = params();
        Optimizer b = recipe.get().build(first);
        steps(b, first, 0, 6);
        Map<String, INDArray> state = b.stateDict();
        List<Param> resumed = params();
        for (int i = 0; i < resumed.size(); i++) resumed.get(i).setValue(first.get(i).value());
        Optimizer c = recipe.get().build(resumed);
        c.loadStateDict(state);
        steps(c, resumed, 6, 12);
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i).value().ravel().toFloatVector(), resumed.get(i).value().ravel().toFloatVector(), 0f, name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void loadRejectsMismatchedState(String name, Supplier<OptimizerBuilder> recipe) {
        Optimizer o = recipe.get().build(params());
        Map<String, INDArray> state = new java.util.HashMap<>(o.stateDict());
        Optimizer other = Optimizer.adam(0.1).amsgrad(true).build(List.of(Param.weight("w", Nd4j.zeros(DataType.FLOAT, 3, 3))));
        assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(state));
    }
}
