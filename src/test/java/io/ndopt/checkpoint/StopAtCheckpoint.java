package io.ndopt.checkpoint;

import io.ndopt.data.Dataset;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import io.ndopt.train.TrainListener;
import io.ndopt.train.TrainState;
import io.ndopt.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A run that "crashes" right after its first checkpoint: the trainer's checkpoint is saved to a
 * folder with {@link Checkpoint#save}, then the run stops before another step. The resume tests load
 * that checkpoint and continue in a fresh model and optimizer.
 */
public final class StopAtCheckpoint {
    private StopAtCheckpoint() {}

    private static final class Stop extends RuntimeException {
        Stop() { super(null, null, false, false); }
    }

    /** Fits {@code trainer} (its config sets a checkpoint interval) to its first checkpoint, saved in {@code dir}. */
    public static void fit(Trainer trainer, Path dir, List<Param> params, Optimizer opt, Map<String, Object> config,
                           Dataset train, Dataset val) {
        try {
            trainer.listener(new TrainListener() {
                @Override public void onCheckpoint(TrainState s) {
                    try {
                        Checkpoint.save(dir, params, opt, s, config);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    throw new Stop();
                }
            }).fit(train, val);
        } catch (Stop expected) {
            return;
        }
        throw new AssertionError("the run ended without a checkpoint");
    }
}
