package io.ndopt.train;

/** Callbacks from the training loop (progress bars, logs, checkpoints). All methods are optional. */
public interface TrainListener {
    default void onStep(int epoch, int batch, int batches, long globalStep, double loss) {}

    default void onEpoch(EpochRecord record, int epochs) {}

    /** Every {@code checkpointEvery} steps, and at the end of training when checkpointing is on. */
    default void onCheckpoint(TrainState state) {}
}
