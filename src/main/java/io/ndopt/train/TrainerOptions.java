package io.ndopt.train;

import io.ndopt.device.MixedPrecision;
import java.util.Objects;

/**
 * Options of the {@link Trainer}'s loop (the optimizer, schedule and clipping live in the optimizer):
 * given directly by library users, or resolved from a command-line request by
 * the CLI (its {@code Experiment}).
 *
 * @param epochs         total epochs (a resumed run continues up to this many)
 * @param batchSize      rows per mini-batch (the last batch of an epoch may be smaller)
 * @param seed           seeds the per-epoch shuffles
 * @param patience       early stopping: stop after this many epochs without a better validation loss (0 = off)
 * @param restoreBest    with early stopping, end with the parameters of the best validation epoch
 * @param checkpointEvery write a checkpoint every this many steps (0 = never)
 * @param precision      the network's arithmetic on a GPU ({@link MixedPrecision}; anything but FP32 needs a float32
 *                       model whose network runs on the optimizer's GPU)
 */
public record TrainerOptions(int epochs, int batchSize, long seed, int patience, boolean restoreBest,
        long checkpointEvery, MixedPrecision precision) {
    public TrainerOptions {
        Objects.requireNonNull(precision, "precision");
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        if (batchSize <= 0) throw new IllegalArgumentException("batch_size must be > 0, got " + batchSize);
        if (patience < 0) throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpoint_every must be >= 0, got " + checkpointEvery);
        }
    }

    /** Float32 arithmetic ({@link MixedPrecision#FP32}). */
    public TrainerOptions(int epochs, int batchSize, long seed, int patience, boolean restoreBest, long checkpointEvery) {
        this(epochs, batchSize, seed, patience, restoreBest, checkpointEvery, MixedPrecision.FP32);
    }

    /** 20 epochs, batches of 32, seed 42, no early stopping, best weights restored, no periodic checkpoints. */
    public static TrainerOptions defaults() { return new TrainerOptions(20, 32, 42, 0, true, 0); }

    public TrainerOptions withEpochs(int v) {
        return new TrainerOptions(v, batchSize, seed, patience, restoreBest, checkpointEvery, precision);
    }

    public TrainerOptions withBatchSize(int v) {
        return new TrainerOptions(epochs, v, seed, patience, restoreBest, checkpointEvery, precision);
    }

    public TrainerOptions withSeed(long v) {
        return new TrainerOptions(epochs, batchSize, v, patience, restoreBest, checkpointEvery, precision);
    }

    public TrainerOptions withPatience(int v) {
        return new TrainerOptions(epochs, batchSize, seed, v, restoreBest, checkpointEvery, precision);
    }

    public TrainerOptions withCheckpointEvery(long v) {
        return new TrainerOptions(epochs, batchSize, seed, patience, restoreBest, v, precision);
    }

    public TrainerOptions withPrecision(MixedPrecision v) {
        return new TrainerOptions(epochs, batchSize, seed, patience, restoreBest, checkpointEvery, v);
    }
}
