package io.ndopt.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The trainer with schedule-free AdamW: every evaluation and checkpoint sees the eval point x, the steps the train
 * point y, and the run ends at x.
 */
class ScheduleFreeTrainingTest {
    @Test void evaluatesAndCheckpointsAtTheEvalPointAndTrainsAtTheTrainPoint() {
        Dataset[] split = Synthetic.moons(160, 0.2, 0.1, 4, DataType.DOUBLE).split(0.25, 1);
        Sequential model = Sequential.mlp(2, new int[] {8}, 1, Activation.TANH, Activation.IDENTITY, DataType.DOUBLE, 5);
        Optimizer opt = Optimizer.scheduleFreeAdamw(0.02).warmupSteps(4).build(model.params());
        List<Double> valAtX = new ArrayList<>();
        List<Boolean> checkpointAtX = new ArrayList<>();
        TrainListener l = new TrainListener() {
            @Override public void onEpoch(EpochRecord r, int epochs) {
                assertTrue(opt.inEvalMode(), "epoch listener at the eval point");
                valAtX.add(Metrics.evaluate(model, split[1], Loss.BCE_WITH_LOGITS).loss());
            }
            @Override public void onCheckpoint(TrainState s) { checkpointAtX.add(opt.inEvalMode()); }
        };
        TrainResult r = new Trainer(model, Loss.BCE_WITH_LOGITS, opt, new TrainerOptions(3, 40, 1, 0, false, 2))
                .listener(l).fit(split[0], split[1]);
        for (int e = 0; e < 3; e++) assertEquals(valAtX.get(e), r.history().get(e).valLoss(), 0.0, "epoch " + (e + 1));
        assertFalse(checkpointAtX.isEmpty());
        assertTrue(checkpointAtX.stream().allMatch(b -> b), "every checkpoint at the eval point");
        assertTrue(opt.inEvalMode(), "the run ends at the eval point");
        double[] x = values(model);
        opt.trainMode();
        assertFalse(java.util.Arrays.equals(x, values(model)), "train and eval points differ");
        opt.evalMode();
        assertArrayEquals(x, values(model), 0.0);
    }

    private static double[] values(Sequential m) {
        return m.params().stream().map(Param::value).flatMapToDouble(v -> java.util.Arrays.stream(
                v.dup('c').reshape(v.length()).toDoubleVector())).toArray();
    }
}
