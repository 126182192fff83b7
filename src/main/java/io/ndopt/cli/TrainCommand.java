package io.ndopt.cli;

import io.ndopt.checkpoint.Checkpoint;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.train.Experiment;
import io.ndopt.train.TrainResult;
import io.ndopt.train.TrainSettings;
import io.ndopt.train.TrainState;
import io.ndopt.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a dense network on a CSV file or a synthetic dataset, with checkpoints and exact resume. */
@Command(name = "train", mixinStandardHelpOptions = true, description = {
        "Train a dense network on a CSV file (--data FILE --target COL) or a synthetic dataset (--dataset NAME).",
        "Writes DIR/metrics.json, DIR/params/NAME.npy, DIR/loss.png and DIR/weights_hist.png."})
final class TrainCommand implements Callable<Integer> {
    @Mixin TrainOptions options;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--checkpoint-every", description = "Write DIR/checkpoint/checkpoint.zip every N steps (0 = never).")
    Long checkpointEvery;

    @Option(names = "--prune", description = "After training, drop unread inputs and dead units (see --group-lasso) and write the smaller network to DIR/pruned/.")
    boolean prune;

    @Option(names = "--resume", description = "Continue from a checkpoint (its folder or file) up to --epochs in total.")
    Path resume;

    @Override public Integer call() throws IOException {
        Checkpoint.Contents ckpt = resume == null ? null : Checkpoint.load(resume);
        TrainSettings s = options.resolve(ckpt == null ? null : ckpt.config());
        if (checkpointEvery != null) s = s.with(Map.of("checkpoint_every", checkpointEvery));
        Experiment exp = new Experiment(s);
        Sequential model = exp.model();
        Optimizer opt = exp.optimizer(model, null);
        TrainState state = new TrainState();
        if (ckpt != null) {
            Checkpoint.restore(ckpt, model.params(), opt);
            state = ckpt.state();
        }
        RunOutput.header(System.out, s, opt, model, ckpt == null ? "" : " | resumed at step " + state.globalStep() + " (epoch " + state.epoch() + ")");
        long steps = (long) s.epochs() * ((exp.train.size() + s.batchSize() - 1) / s.batchSize());
        Path ckptDir = out.resolve("checkpoint");
        TrainSettings settings = s;
        Progress progress = new Progress(System.out, "train", steps);
        Trainer trainer = new Trainer(model, exp.loss, opt, exp.trainConfig()).listener(new io.ndopt.train.TrainListener() {
            @Override public void onStep(int e, int b, int n, long g, double l) { progress.onStep(e, b, n, g, l); }
            @Override public void onEpoch(io.ndopt.train.EpochRecord r, int epochs) { progress.onEpoch(r, epochs); }
            @Override public void onCheckpoint(TrainState st) {
                try {
                    Checkpoint.save(ckptDir, model.params(), opt, st, settings.toMap());
                } catch (IOException e) {
                    throw new UncheckedIOException("writing checkpoint in " + ckptDir, e);
                }
            }
        });
        TrainResult r = trainer.resume(state, exp.train, exp.val);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("config", s.toMap());
        metrics.put("backend", RunOutput.backendMap());
        metrics.put("loss", exp.loss.name().toLowerCase());
        metrics.put("train_rows", exp.train.size());
        metrics.put("val_rows", exp.val == null ? 0 : exp.val.size());
        metrics.putAll(RunOutput.resultMap(r));
        metrics.put("plots", RunOutput.plots(out, r, model));
        metrics.put("structure", RunOutput.structure(model, prune ? out.resolve("pruned") : null));
        RunOutput.writeParams(out, model.params());
        RunOutput.writeJson(out.resolve("metrics.json"), metrics);
        System.out.printf("done: %d steps, %.3f ms/step, %.1f%% exact-zero weights; wrote %s (metrics.json, params/, loss.png, weights_hist.png)%n",
                r.steps(), r.msPerStep(), 100 * r.sparsity().zeroFraction(), out);
        if (s.groupLasso() != null || prune) System.out.println("structure: " + io.ndopt.prune.Pruner.report(model) + (prune ? "; pruned network in " + out.resolve("pruned") : ""));
        return 0;
    }
}
