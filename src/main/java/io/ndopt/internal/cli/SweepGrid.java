package io.ndopt.internal.cli;

import io.ndopt.data.Dataset;
import io.ndopt.data.Standardizer;
import io.ndopt.device.Device;
import io.ndopt.internal.config.OptimizerSpec;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.internal.run.Experiment;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.train.Metrics;
import io.ndopt.train.TrainListener;
import io.ndopt.train.TrainResult;
import io.ndopt.train.Trainer;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import picocli.CommandLine;

/**
 * The grid of one {@code sweep} command line: every cell (run, λ, fold, seed) and the one function that trains a
 * cell, {@link #run}. A cell's numbers depend on the arguments and the cell alone: the local sweep, a Spark task
 * and a retried Spark task compute them bit for bit alike. The folds are fixed by {@code --seed} (one shuffle of
 * the rows, row {@code i} of it in fold {@code i mod folds}); each {@code --seeds} value seeds the model, the
 * batch order and dropout of its cells.
 */
public final class SweepGrid {
    /** One cell; {@code index} is its place in the grid, run-major: ((run·L + λ)·F + fold)·S + seed. */
    public record Cell(int index, int run, int lambda, int fold, int seed) implements Serializable {}

    /** The numbers of one trained cell: the mean loss on its training folds and on its validation fold. */
    public record Result(int index, double trainLoss, double valLoss) implements Serializable {}

    /** What a caller watches of one cell's training (the local sweep: progress, TensorBoard, the page). */
    public interface Watch extends AutoCloseable {
        TrainListener listener();

        default void trained(TrainResult r) {}

        @Override default void close() throws IOException {}
    }

    /** Opens a {@link Watch} for a cell whose model and optimizer are built; {@link #NONE} watches nothing. */
    public interface Watcher {
        Watcher NONE = (cell, model, opt, exp) -> () -> new TrainListener() {};

        Watch open(Cell cell, Sequential model, Optimizer opt, Experiment exp) throws IOException;
    }

    final RunRequest settings;
    final String penalty;
    final double[] lambdas;
    final int folds;
    final long[] seeds;
    /** One per run: the {@code --run} text, or the optimizer type when there is no {@code --run}. */
    final List<String> labels;
    /** One per run: its optimizer without the penalty (the shared fields merged into a {@code --run}'s). */
    final List<OptimizerSpec> bases;
    /** The request and optimizer of [run][λ][seed]. */
    private final RunRequest[][][] requests;
    private final OptimizerSpec[][] specs;
    final Dataset all;
    private final int[] perm;
    private String sha;
    private final boolean runsGiven;

    SweepGrid(RunRequest settings, String penalty, double[] lambdas, int folds, long[] seeds, List<String> labels,
            List<OptimizerSpec> bases, RunRequest[][][] requests, OptimizerSpec[][] specs, Dataset all) {
        this.runsGiven = specs[0][0] != null;
        this.settings = settings;
        this.penalty = penalty;
        this.lambdas = lambdas;
        this.folds = folds;
        this.seeds = seeds;
        this.labels = labels;
        this.bases = bases;
        this.requests = requests;
        this.specs = specs;
        this.all = all;
        this.perm = Dataset.permutation(all.size(), settings.seed());
    }

    /**
     * The grid of {@code sweep}'s arguments (without the word sweep), checked, its data loaded; nothing written. The
     * device is not checked here: each cell's is, where it trains (a Spark task's own GPU).
     */
    public static SweepGrid parse(String... args) {
        CommandLine.ParseResult pr = Main.commandLine().parseArgs(Main.withCommand("sweep", args));
        SweepCommand cmd = (SweepCommand) pr.subcommand().commandSpec().userObject();
        cmd.runner = (grid, cells, done) -> { throw new IllegalStateException("parse only"); };
        return cmd.grid();
    }

    /** Every cell, in index order. */
    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (int r = 0; r < labels.size(); r++) {
            for (int k = 0; k < lambdas.length; k++) {
                for (int f = 0; f < folds; f++) {
                    for (int j = 0; j < seeds.length; j++) out.add(new Cell(out.size(), r, k, f, j));
                }
            }
        }
        return out;
    }

    /** SHA-256 of the raw data (unsplit, unstandardized): every Spark task checks it read what the driver read. */
    public synchronized String dataSha256() {
        if (sha == null) sha = Experiment.sha256(all);
        return sha;
    }

    public int size() { return labels.size() * lambdas.length * folds * seeds.length; }

    /** A cell's name in logs: {@code adam:lr=1e-3 weight_decay=0.001 fold 2/5 seed 7}. */
    public String describe(Cell c) {
        return labels.get(c.run()) + " " + String.format("%s=%.3g", penalty, lambdas[c.lambda()]) + " fold "
                + (c.fold() + 1) + "/" + folds + (seeds.length > 1 ? " seed " + seeds[c.seed()] : "");
    }

    public int runs() { return labels.size(); }

    public int lambdaCount() { return lambdas.length; }

    public int folds() { return folds; }

    public int seedCount() { return seeds.length; }

    /** The settings of sweep.json and the log: with {@code --run}, without the optimizer (each run has its own). */
    Map<String, Object> config() {
        Map<String, Object> c = runsGiven ? CompareCommand.sharedConfig(settings) : settings.toMap();
        c.remove("val_split");
        return c;
    }

    /** The shared settings (the folds' seed, the data, the device, ...). */
    public RunRequest settings() { return settings; }

    /** The device a cell trains on unless its caller names one (a Spark task's GPU). */
    public Device device() { return settings.device(); }

    /**
     * Trains one cell on {@code device} (null: the settings' device) and evaluates it: the task function of the
     * grid, the same for the local sweep and for Spark.
     */
    public Result run(Cell c, Device device, Watcher watcher) throws IOException {
        int n = all.size();
        int fold = c.fold();
        int[] vi = IntStream.range(0, n).filter(i -> i % folds == fold).map(i -> perm[i]).toArray();
        int[] ti = IntStream.range(0, n).filter(i -> i % folds != fold).map(i -> perm[i]).toArray();
        Dataset tr0 = all.rows(ti), va0 = all.rows(vi);
        Standardizer std = Standardizer.fit(tr0.x());        // training folds only
        RunRequest req = requests[c.run()][c.lambda()][c.seed()];
        if (device != null && !device.equals(req.device())) req = req.with("the task's device", Map.of("device", device));
        Experiment exp = Experiment.of(req, std.apply(tr0), std.apply(va0), all.classes());
        Sequential model = exp.model();
        try (Optimizer opt = exp.optimizer(model, specs[c.run()][c.lambda()]);
             Watch watch = watcher.open(c, model, opt, exp)) {
            TrainResult res = new Trainer(model, exp.loss, opt, exp.trainerOptions()).listener(watch.listener())
                    .fit(exp.train, null);
            watch.trained(res);
        }
        return new Result(c.index(), Metrics.evaluate(model, exp.train, exp.loss).loss(),
                Metrics.evaluate(model, exp.val, exp.loss).loss());
    }

    /** The request of a cell (its optimizer settings included when there is no {@code --run}). */
    RunRequest request(Cell c) { return requests[c.run()][c.lambda()][c.seed()]; }
}
