package io.ndopt.internal.cli;

import io.ndopt.checkpoint.Checkpoint;
import io.ndopt.data.StreamingDataset;
import io.ndopt.internal.run.ResumeCheck;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.LayerSpec;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.internal.io.Json;
import io.ndopt.nn.Sequential;
import io.ndopt.internal.plot.Plots;
import io.ndopt.internal.tensorboard.TensorBoardRun;
import io.ndopt.optim.Optimizer;
import io.ndopt.prune.Pruner;
import io.ndopt.internal.run.DeviceChoice;
import io.ndopt.internal.run.Experiment;
import io.ndopt.train.TrainListener;
import io.ndopt.train.TrainResult;
import io.ndopt.train.TrainState;
import io.ndopt.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a dense network on a CSV file or a synthetic dataset, with checkpoints and exact resume. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Train a dense network on a data file (--data FILE --target COL: CSV, .npy/.npz, .parquet) or a synthetic dataset (--dataset NAME).",
        "Writes DIR/metrics.json, DIR/params/NAME.npy, DIR/training.png, DIR/weights_hist.png (with --prune also "
                + "DIR/pruned/) and DIR/run.json (written last)."})
final class TrainCommand implements Callable<Integer> {
    @Mixin TrainOptions options;

    @Option(names = "--out", required = true,
            description = "Output folder (must be empty or new, unless --overwrite or resuming its own checkpoint).")
    Path out;

    @Option(names = "--overwrite", description = "Delete the previous run's files in --out first.")
    boolean overwrite;

    @Option(names = "--resume", description =
            "Continue from a checkpoint (its file, its folder or a run folder) up to --epochs in total.")
    Path resume;

    @Option(names = "--allow-changes", description =
            "With --resume: accept settings or data that differ from the checkpoint's.")
    boolean allowChanges;

    @Option(names = "--stream", description = {"Stream --data (a file, a folder or a glob of shards) instead of "
            + "loading it: batches are read shard by shard by a prefetch thread, so the data may be larger than "
            + "memory. Epoch order: shards permuted per epoch, rows shuffled in windows of --shuffle-buffer rows "
            + "(the in-memory order when the buffer holds every training row). Without --stream the data is loaded "
            + "whole. A resume continues as the checkpoint's run did (streamed or not)."})
    boolean stream;

    @Option(names = "--shuffle-buffer", paramLabel = "ROWS", description = "With --stream: rows per shuffle window "
            + "(held in memory). Default: " + StreamingDataset.DEFAULT_SHUFFLE_BUFFER + ", or the checkpoint's.")
    Integer shuffleBuffer;

    @Override public Integer call() throws IOException {
        if (allowChanges && resume == null) throw new ConfigException("--allow-changes has no effect without --resume");
        if (shuffleBuffer != null && !stream) throw new ConfigException("--shuffle-buffer has no effect without --stream");
        Checkpoint.Contents ckpt = resume == null ? null : Checkpoint.load(resume);
        LayerSpec base = ckpt == null ? LayerSpec.empty() : ResumeCheck.layer(ckpt, "checkpoint " + Checkpoint.file(resume));
        RunRequest s = options.resolve(base);
        if (ckpt != null) ResumeCheck.settings(RunRequest.of(List.of(base)), s, options.userGiven(), allowChanges);
        DeviceChoice.require(s);     // before the data is read; a resumed run may change the device
        if (ckpt != null) StreamPosition.checkMode(ckpt, stream, allowChanges);
        long opened = System.nanoTime();
        Experiment exp = stream ? Experiment.streamed(s, shuffleBuffer(ckpt)) : new Experiment(s);
        if (stream) {
            System.out.printf("stream: %d shards, %d training rows, %d validation rows, order %s (shuffle buffer %d); "
                    + "checked in %.1f s%n", exp.stream.shards().size(), exp.trainRows(), exp.val == null ? 0
                    : exp.val.size(), exp.stream.fullPermutation() ? "full permutation" : "shard order + windows",
                    exp.stream.shuffleBuffer(), (System.nanoTime() - opened) / 1e9);
        }
        if (ckpt != null) ResumeCheck.data(ckpt, exp.dataSha256, allowChanges);
        Sequential model = exp.model();
        try (Optimizer opt = exp.optimizer(model, null)) {      // close frees a GPU optimizer's memory
            return train(s, exp, model, opt, ckpt);
        }
    }

    /** The shuffle buffer: --shuffle-buffer, else a streamed checkpoint's; checks --stream against the checkpoint. */
    private int shuffleBuffer(Checkpoint.Contents ckpt) {
        if (shuffleBuffer != null && shuffleBuffer < 1) {
            throw new ConfigException("--shuffle-buffer must be >= 1 row, got " + shuffleBuffer);
        }
        Map<?, ?> had = ckpt == null ? null : StreamPosition.of(ckpt);
        int buffer = shuffleBuffer != null ? shuffleBuffer
                : had != null ? ((Number) had.get("shuffle_buffer")).intValue() : StreamingDataset.DEFAULT_SHUFFLE_BUFFER;
        if (had != null && buffer != ((Number) had.get("shuffle_buffer")).intValue() && !allowChanges) {
            throw new ConfigException("--resume: --shuffle-buffer " + buffer + " differs from the checkpoint's "
                    + had.get("shuffle_buffer") + " (the epoch order would change); drop it, or pass --allow-changes");
        }
        return buffer;
    }

    private int train(RunRequest s, Experiment exp, Sequential model, Optimizer opt, Checkpoint.Contents ckpt)
            throws IOException {
        TrainState state = new TrainState();
        if (ckpt != null) {
            Checkpoint.restore(ckpt, model.params(), opt);
            state = ckpt.state();
            StreamPosition.check(ckpt, exp, s.batchSize(), allowChanges);
            if (state.epoch() >= s.epochs() || state.stopped()) {
                throw new ConfigException("--resume: the checkpoint is at epoch " + state.epoch()
                        + (state.stopped() ? " (stopped early)" : "")
                        + " and --epochs is " + s.epochs() + "; nothing to train (raise --epochs)");
            }
        }
        try (RunFolder folder = RunFolder.prepare(out, "train", overwrite,
                ckpt == null ? null : Checkpoint.file(resume), options.inputs(s), System.out)) {
            return train(s, exp, model, opt, ckpt, state, folder);
        }
    }

    private int train(RunRequest s, Experiment exp, Sequential model, Optimizer opt, Checkpoint.Contents ckpt,
            TrainState state, RunFolder folder) throws IOException {
        RunOutput.header(System.out, s, opt, model,
                ckpt == null ? "" : "resumed at step " + state.globalStep() + " (epoch " + state.epoch() + ")");
        long steps = (long) s.epochs() * ((exp.trainRows() + s.batchSize() - 1) / s.batchSize());
        Path ckptFile = folder.file("checkpoint/" + Checkpoint.FILE);
        Progress progress = new Progress(System.out, steps - state.globalStep(), true).run("train")
                .resumedAt(state.globalStep());
        TensorBoardOutput tb = new TensorBoardOutput(folder, s);
        if (ckpt != null) tb.adoptEarlier();
        folder.begin();
        exp.warmUp(null);
        TrainResult r;
        try (TensorBoardRun events = tb.open("", opt, model, exp.loss.classification() ? "accuracy" : "r2",
                s.toMap())) {
            TrainListener checkpoints = new TrainListener() {
                @Override public void onCheckpoint(TrainState st) {
                    try {
                        Checkpoint.save(ckptFile, model.params(), opt, st, s.toMap(),
                                StreamPosition.runMap(exp, st, s.batchSize()));
                    } catch (IOException e) {
                        throw new UncheckedIOException("writing checkpoint " + ckptFile, e);
                    }
                }
            };
            Trainer trainer = new Trainer(model, exp.loss, opt, exp.trainerOptions())
                    .listener(TensorBoardOutput.all(progress, checkpoints, events));
            r = exp.stream != null ? trainer.resume(state, exp.stream) : trainer.resume(state, exp.train, exp.val);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("config", s.toMap());
        metrics.put("backend", RunOutput.backendMap());
        RunOutput.putDevice(metrics, opt.device());
        metrics.put("loss", exp.loss.name().toLowerCase());
        metrics.put("train_rows", exp.trainRows());
        if (exp.stream != null) metrics.put("stream", StreamPosition.summary(exp.stream));
        metrics.put("val_rows", exp.val == null ? 0 : exp.val.size());
        metrics.putAll(RunOutput.resultMap(r));
        if (state.lossScaler() != null) {        // fp16: where the loss scale ended and how many steps it skipped
            Map<String, Object> scale = new LinkedHashMap<>();
            scale.put("scale", (double) state.lossScaler().scale());
            scale.put("skipped_steps", state.lossScaler().skippedSteps());
            metrics.put("loss_scale", scale);
        }
        if (Plots.unavailableReason() == null) metrics.put("plots", RunOutput.TRAIN_PLOTS);
        else metrics.put("plots_not_drawn", Plots.unavailableReason());
        boolean prune = s.get(Keys.PRUNE);
        metrics.put("structure", RunOutput.structure(model, folder, prune));
        RunOutput.writeParams(folder, model.params());
        Json.write(folder.file("metrics.json"), metrics);
        RunOutput.plots(folder, s, r, model, exp.loss.classification() ? "accuracy" : "R²");
        folder.finish();
        System.out.printf("done: %d steps, %s ms/step (median of epochs 2.., after the warm-up; first epoch %s), "
                + "%.1f%% exact-zero weights; wrote %s (metrics.json, params/, "
                + (Plots.unavailableReason() == null ? String.join(", ", RunOutput.TRAIN_PLOTS) : "no charts") + "%s, run.json)%n",
                r.steps(), RunOutput.ms(r.msPerStep()), RunOutput.ms(r.firstEpochMsPerStep()),
                100 * r.sparsity().zeroFraction(), out, prune ? ", pruned/" : "");
        if (tb.root() != null) System.out.println("tensorboard: tensorboard --logdir " + tb.root());
        if (s.get(Keys.GROUP_LASSO) != null || prune) {
            System.out.println("structure: " + Pruner.report(model)
                    + (prune ? "; pruned network in " + out.resolve("pruned") : ""));
        }
        return 0;
    }
}
