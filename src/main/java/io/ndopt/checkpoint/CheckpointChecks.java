package io.ndopt.checkpoint;

import io.ndopt.train.EpochRecord;
import io.ndopt.train.TrainState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a checkpoint's counters must agree on, as the training loop keeps them: one history record per
 * finished epoch, numbered 1, 2, ... with non-decreasing step counts; the global step equals the last
 * record's steps plus the batches done in the current epoch; and every batch called the optimizer's step
 * once, taken or skipped, or the float16 loss scaler skipped it without calling the optimizer
 * ({@code step + skipped_steps + loss_scaler.skipped_steps = global_step}).
 */
final class CheckpointChecks {
    private CheckpointChecks() {}

    /** At load: the optimizer's counters come from its saved state. */
    static void crossCheck(Path f, TrainState s, Map<String, INDArray> optimizer) {
        INDArray step = optimizer.get("step"), skipped = optimizer.get("skipped_steps");
        crossCheck(f, s, step == null ? -1 : step.getLong(0), skipped == null ? -1 : skipped.getLong(0));
    }

    /** The counters of {@code s} against each other and the optimizer's (-1: unknown, not checked). */
    static void crossCheck(Path f, TrainState s, long step, long skipped) {
        List<EpochRecord> h = s.history();
        if (h.size() != s.epoch()) {
            throw refused(f, "the history has " + h.size() + " epochs, the train state is at epoch " + s.epoch());
        }
        long prev = 0;
        for (int i = 0; i < h.size(); i++) {
            if (h.get(i).epoch() != i + 1 || h.get(i).steps() < prev) {
                throw refused(f, "history record " + i + " (epoch " + h.get(i).epoch() + ", steps " + h.get(i).steps()
                        + ") is out of sequence");
            }
            prev = h.get(i).steps();
        }
        if (s.globalStep() != prev + s.batch()) {
            throw refused(f, "global_step " + s.globalStep() + " is not the last epoch's " + prev + " steps plus batch "
                    + s.batch());
        }
        if (step >= 0 && skipped >= 0 && step + skipped + s.scalerSkippedSteps() != s.globalStep()) {
            throw refused(f, "the optimizer took " + step + " steps and skipped " + skipped
                    + (s.lossScaler() == null ? "" : ", the loss scaler skipped " + s.scalerSkippedSteps())
                    + ", but global_step is " + s.globalStep());
        }
    }

    private static CheckpointException refused(Path f, String why) {
        return new CheckpointException(f + ": inconsistent counters: " + why);
    }
}
