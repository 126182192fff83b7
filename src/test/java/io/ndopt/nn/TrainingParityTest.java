package io.ndopt.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ndopt.Parity;
import io.ndopt.checkpoint.Checkpoint;
import io.ndopt.checkpoint.StopAtCheckpoint;
import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.optim.UpdatePath;
import io.ndopt.optim.Optimizer;
import io.ndopt.train.TrainResult;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Whole training runs: the fast path follows the reference trajectory (float64, with a last partial
 * batch and dropout; parameters and optimizer state by {@link Parity}), and a run with dropout resumed
 * from a mid-epoch checkpoint is bitwise the uninterrupted run.
 */
class TrainingParityTest {
    @TempDir Path dir;

    private static Sequential model(DataType dt) {
        return Sequential.mlp(2, new int[] {16, 8}, 1, Activation.RELU, Activation.IDENTITY,
                new double[] {0.25, 0.1}, dt, 9);
    }

    private static final TrainerOptions CFG = new TrainerOptions(4, 48, 5, 0, true, 0);   // 150 rows: last batch of 6

    @Test
    void fastPathFollowsTheReferenceTrajectory() {
        Dataset[] split = Synthetic.moons(200, 0.2, 0.1, 3, DataType.DOUBLE).split(0.25, 1);
        Sequential fast = model(DataType.DOUBLE).impl(UpdatePath.FUSED), ref = model(DataType.DOUBLE).impl(UpdatePath.REFERENCE);
        Optimizer of = Optimizer.adamw(0.01).build(fast.params()), or = Optimizer.adamw(0.01).build(ref.params());
        TrainResult rf = new Trainer(fast, Loss.BCE_WITH_LOGITS, of, CFG).fit(split[0], split[1]);
        TrainResult rr = new Trainer(ref, Loss.BCE_WITH_LOGITS, or, CFG).fit(split[0], split[1]);
        Parity.assertOptimizers(or, of, false, "fast network path after " + rr.steps() + " steps");
        for (int e = 0; e < rr.history().size(); e++) {
            assertEquals(rr.history().get(e).trainLoss(), rf.history().get(e).trainLoss(), 1e-10,
                    "train loss, epoch " + (e + 1));
        }
    }

    @Test
    void resumeWithDropoutIsBitwiseIdentical() {
        Dataset[] split = Synthetic.moons(200, 0.2, 0.1, 3, DataType.FLOAT).split(0.25, 1);
        Sequential straight = model(DataType.FLOAT);
        TrainResult full = new Trainer(straight, Loss.BCE_WITH_LOGITS, Optimizer.adam(0.01).build(straight.params()),
                CFG).fit(split[0], split[1]);

        Sequential first = model(DataType.FLOAT);
        Optimizer o1 = Optimizer.adam(0.01).build(first.params());
        // stops mid-epoch 2 (4 batches per epoch) right after the checkpoint at step 5
        StopAtCheckpoint.fit(new Trainer(first, Loss.BCE_WITH_LOGITS, o1, CFG.withCheckpointEvery(5)), dir,
                first.params(), o1,
                Map.of(), split[0], split[1]);
        Checkpoint.Contents c = Checkpoint.load(dir);
        Sequential resumed = model(DataType.FLOAT);
        Optimizer o2 = Optimizer.adam(0.01).build(resumed.params());
        Checkpoint.restore(c, resumed.params(), o2);
        TrainResult rest = new Trainer(resumed, Loss.BCE_WITH_LOGITS, o2, CFG).resume(c.state(), split[0], split[1]);
        assertEquals(full.steps(), rest.steps());
        for (int i = 0; i < straight.params().size(); i++) {
            assertArrayEquals(straight.params().get(i).value().ravel().toFloatVector(),
                    resumed.params().get(i).value().ravel().toFloatVector(),
                    0f, straight.params().get(i).name());
        }
        assertEquals(full.history().get(3).valLoss(), rest.history().get(rest.history().size() - 1).valLoss(), 0.0);
    }
}
