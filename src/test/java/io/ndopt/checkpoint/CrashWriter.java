package io.ndopt.checkpoint;

import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import io.ndopt.train.TrainState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Child process of {@link CheckpointCrashTest}: saves checkpoints in a loop, each with every
 * parameter value equal to the step number, until it is killed.
 */
public final class CrashWriter {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Param w = Param.weight("w", Nd4j.zeros(DataType.FLOAT, 2000, 1000));
        Param b = Param.bias("b", Nd4j.zeros(DataType.FLOAT, 1, 1000));
        Optimizer opt = Optimizer.adamw(0.1).build(List.of(w, b));
        for (long step = 1; ; step++) {
            opt.step();                         // no gradient set: counts the step, updates nothing
            w.value().assign(step);
            b.value().assign(step);
            Checkpoint.save(dir, List.of(w, b), opt,      // counters as a loop would keep them: batch `step` of epoch 0
                    new TrainState(0, (int) step, step, List.of(), Double.POSITIVE_INFINITY, -1, 0, false, null),
                    Map.of("step", step));
            System.out.println("saved " + step);
        }
    }
}
