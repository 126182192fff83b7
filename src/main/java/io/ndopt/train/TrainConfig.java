package io.ndopt.train;

/**
 * Settings of the training loop (the optimizer, schedule and clipping live in the optimizer).
 *
 * @param epochs         total epochs (a resumed run continues up to this many)
 * @param batchSize      rows per mini-batch (the last batch of an epoch may be smaller)
 * @param seed           seeds the per-epoch shuffles
 * @param patience       early stopping: stop after this many epochs without a better validation loss (0 = off)
 * @param restoreBest    with early stopping, end with the parameters of the best validation epoch
 * @param checkpointEvery write a checkpoint every this many steps (0 = never)
 */
public record TrainConfig(int epochs, int batchSize, long seed, int patience, boolean restoreBest, long checkpointEvery) {
    public TrainConfig {
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        if (batchSize <= 0) throw new IllegalArgumentException("batch_size must be > 0, got " + batchSize);
        if (patience < 0) throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        if (checkpointEvery < 0) throw new IllegalArgumentException("checkpoint_every must be >= 0, got " + checkpointEvery);
    }

    public static TrainConfig defaults() { return new TrainConfig(20, 32, 0, 0, true, 0); }

    public TrainConfig withEpochs(int v) { return new TrainConfig(v, batchSize, seed, patience, restoreBest, checkpointEvery); }
    public TrainConfig withBatchSize(int v) { return new TrainConfig(epochs, v, seed, patience, restoreBest, checkpointEvery); }
    public TrainConfig withSeed(long v) { return new TrainConfig(epochs, batchSize, v, patience, restoreBest, checkpointEvery); }
    public TrainConfig withPatience(int v) { return new TrainConfig(epochs, batchSize, seed, v, restoreBest, checkpointEvery); }
    public TrainConfig withCheckpointEvery(long v) { return new TrainConfig(epochs, batchSize, seed, patience, restoreBest, v); }
}
