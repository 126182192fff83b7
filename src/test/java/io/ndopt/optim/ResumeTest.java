package io.ndopt.optim;

import io.ndopt.internal.gpusuite.Recipes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ndopt.param.Param;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * For every recipe of {@link Recipes}: N steps, export state, a fresh optimizer imports it, N more steps
 * == 2N uninterrupted steps, bitwise.
 */
class ResumeTest {
    static List<Recipes.Recipe> recipes() { return Recipes.ALL; }

    private static List<Param> params() {
        Nd4j.getRandom().setSeed(3);
        return List.of(Param.weight("w", Nd4j.randn(DataType.FLOAT, 8, 5)),
                Param.bias("b", Nd4j.randn(DataType.FLOAT, 1, 5)));
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
    void resumeIsBitwiseIdentical(Recipes.Recipe recipe) {
        List<Param> straight = params();
        Optimizer a = recipe.get(straight).build(straight);
        steps(a, straight, 0, 12);

        List<Param> first = params();
        Optimizer b = recipe.get(first).build(first);
        steps(b, first, 0, 6);
        Map<String, INDArray> state = b.stateDict();
        List<Param> resumed = params();
        for (int i = 0; i < resumed.size(); i++) resumed.get(i).setValue(first.get(i).value());
        Optimizer c = recipe.get(resumed).build(resumed);
        c.loadStateDict(state);
        steps(c, resumed, 6, 12);
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i).value().ravel().toFloatVector(),
                    resumed.get(i).value().ravel().toFloatVector(), 0f,
                    recipe.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void loadRejectsMismatchedState(Recipes.Recipe recipe) {
        List<Param> ps = params();
        Optimizer o = recipe.get(ps).build(ps);
        Map<String, INDArray> state = new HashMap<>(o.stateDict());
        Optimizer other = Optimizer.adam(0.1).amsgrad(true)
                .build(List.of(Param.weight("w", Nd4j.zeros(DataType.FLOAT, 3, 3))));
        assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(state));
    }
}
