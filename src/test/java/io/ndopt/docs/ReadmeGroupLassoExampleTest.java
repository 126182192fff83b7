package io.ndopt.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.TestArrays;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.prune.Pruned;
import io.ndopt.prune.Pruner;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.ParamMask;
import io.ndopt.regularize.PenaltyFactors;
import io.ndopt.schedule.Schedule;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The README's structured-sparsity example, as written there, builds, takes steps and prunes to the same predictions.
 */
class ReadmeGroupLassoExampleTest {
    @Test
    void structuredSparsityExample() {
        Sequential model = Sequential.mlp(30, new int[] {64, 64}, 1, Activation.RELU, Activation.IDENTITY,
                DataType.FLOAT, 42);
        Dense fc1 = (Dense) model.layers().get(0), fc2 = (Dense) model.layers().get(1);
        double[] factors = new double[30];
        Arrays.fill(factors, 1);
        factors[0] = 0;
        Optimizer opt = Optimizer.adam(3e-3)
                .groupLasso(GroupLasso.rows(0.6))
                .group("fc2", List.of(fc2.weight()), o -> o.withGroupLasso(GroupLasso.columns(0.3)))
                .penaltyFactors(fc1.weight(), PenaltyFactors.perGroup(factors))
                .penaltySchedule("group_lasso", Schedule.linearWarmup(1, 500))
                .regularize(ParamMask.names("fc.*\\.W"))
                .build(model.params());
        Random r = new Random(1);
        INDArray x = TestArrays.randn(DataType.FLOAT, r, 64, 30), y = TestArrays.randn(DataType.FLOAT, r, 64, 1);
        for (int step = 0; step < 50; step++) {
            model.lossAndGradients(x, y, Loss.MSE);
            opt.step();
        }
        Pruned p = Pruner.prune(model);
        assertTrue(!p.report().removedInputs().contains(0), p.report().toString());
        assertTrue(opt.describeRegularization()
                .contains("group 'fc2': regularized = name matches /fc.*\\.W/, group lasso 0.3 by cols"),
                opt.describeRegularization());
        assertEquals(2L, opt.summary().decayedTensors(), "fc1.W and fc2.W, not out.W");
        INDArray a = model.forward(x), b = p.predict(x);
        for (int i = 0; i < 64; i++) assertEquals(a.getDouble(i, 0), b.getDouble(i, 0), 1e-5);
        assertEquals(1, opt.groups().stream().filter(g -> g.name().equals("fc2")).count());
    }
}
