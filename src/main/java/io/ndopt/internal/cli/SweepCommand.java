package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.LayerSpec;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.data.Dataset;
import io.ndopt.data.Standardizer;
import io.ndopt.internal.io.Json;
import io.ndopt.internal.io.Numbers;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.internal.plot.Plots;
import io.ndopt.internal.plot.TrainingPage;
import io.ndopt.train.TrainResult;
import java.util.ArrayList;
import io.ndopt.internal.tensorboard.TensorBoardRun;
import io.ndopt.internal.run.DeviceChoice;
import io.ndopt.internal.run.Experiment;
import io.ndopt.train.Metrics;
import io.ndopt.train.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * k-fold cross-validation over a grid of a regularization strength. The penalty must be one the
 * optimizer applies (weight_decay with prox_sgd is refused), the folds must fit the data, and every
 * grid point's settings are validated before the first step; sweep.json is rewritten after each
 * grid point.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "k-fold cross-validation over a lambda grid: --penalty weight_decay|l1|l2 --lambdas 1e-4,1e-3,... (or --grid "
                + "MIN:MAX:COUNT, log-spaced).",
        "Picks lambda by mean validation loss; writes DIR/sweep.json, DIR/validation_curve.png, the interactive page "
                + "DIR/sweep.html, TensorBoard event files in DIR/tensorboard/ and DIR/run.json."})
final class SweepCommand implements Callable<Integer> {
    @Mixin TrainOptions options;
    @Option(names = "--penalty", defaultValue = "weight_decay",
            description = "weight_decay, l1 or l2 (default ${DEFAULT-VALUE}).") String penalty;
    @Option(names = "--lambdas", split = ",",
            description = "Explicit grid, comma-separated, each >= 0.") double[] lambdas;
    @Option(names = "--grid", description = "Log-spaced grid MIN:MAX:COUNT (default 1e-5:1e-1:7).") String grid;
    @Option(names = "--folds", defaultValue = "5",
            description = "Number of folds, 2..rows (default ${DEFAULT-VALUE}).") int folds;
    @Option(names = "--out", required = true,
            description = "Output folder (must be empty or new, unless --overwrite).") Path out;
    @Option(names = "--overwrite", description = "Delete the previous run's files in --out first.") boolean overwrite;

    @Override public Integer call() throws Exception {
        if (!List.of("weight_decay", "l1", "l2").contains(penalty)) {
            throw new ConfigException("--penalty must be weight_decay, l1 or l2, got '" + penalty + "'");
        }
        if (lambdas != null && this.grid != null) throw new ConfigException("--lambdas and --grid exclude each other");
        if (lambdas != null && lambdas.length == 0) throw new ConfigException("--lambdas is empty: give one value or more");
        if (folds < 2) throw new ConfigException("--folds must be >= 2, got " + folds);
        double[] grid = lambdas != null ? lambdas : parseGrid(this.grid == null ? "1e-5:1e-1:7" : this.grid);
        for (double l : grid) {
            if (!(l >= 0) || !Double.isFinite(l)) throw new ConfigException("--lambdas must be finite and >= 0, got " + l);
        }
        double[] sorted = grid.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new ConfigException("--lambdas gives " + sorted[i] + " twice (each grid point once)");
            }
        }
        options.refuse("sweep", "the folds are the validation data", Keys.VAL_SPLIT, Keys.PATIENCE);
        options.refuse("sweep", "sweep writes no checkpoints", Keys.CHECKPOINT_EVERY);
        options.refuse("sweep", "sweep reports no step times", Keys.TIMING_WARMUP);
        options.refuse("sweep", "only train writes a network to prune", Keys.PRUNE);
        options.refuse("sweep", "--penalty " + penalty + " sets it for every grid point", Keys.byName(penalty));
        RunRequest s = options.resolve(LayerSpec.empty()).with("sweep", Map.of("val_split", 0.0));
        DeviceChoice.require(s);
        RunRequest[] perLambda = new RunRequest[grid.length];
        for (int k = 0; k < grid.length; k++) perLambda[k] = s.with("--penalty " + penalty, Map.of(penalty, grid[k]));
        Dataset all = Experiment.loadRaw(s);
        int n = all.size();
        if (folds > n) throw new ConfigException("--folds " + folds + " is more than the " + n + " rows of the data");
        try (RunFolder folder = RunFolder.prepare(out, "sweep", overwrite, null, options.inputs(s), System.out)) {
            return run(s, grid, perLambda, all, folder);
        }
    }

    private int run(RunRequest s, double[] grid, RunRequest[] perLambda, Dataset all, RunFolder folder)
            throws Exception {
        int n = all.size();
        TensorBoardOutput tb = new TensorBoardOutput(folder, s);
        System.out.println("config: " + s.toMap());
        System.out.println("device: " + DeviceChoice.describe(s.device()));
        int[] perm = Dataset.permutation(n, s.seed());
        double[][] val = new double[grid.length][folds], train = new double[grid.length][folds];
        folder.begin();
        long foldSteps = 0;
        for (int f = 0; f < folds; f++) {
            int rows = n - (n - f + folds - 1) / folds;                      // the training folds' rows
            foldSteps += (long) s.epochs() * ((rows + s.batchSize() - 1) / s.batchSize());
        }
        Progress progress = new Progress(System.out, foldSteps * grid.length, false);
        List<TrainingPage.Run> pages = new ArrayList<>();
        for (int k = 0; k < grid.length; k++) {
            for (int f = 0; f < folds; f++) {
                int fold = f;
                int[] vi = IntStream.range(0, n).filter(i -> i % folds == fold).map(i -> perm[i]).toArray();
                int[] ti = IntStream.range(0, n).filter(i -> i % folds != fold).map(i -> perm[i]).toArray();
                Dataset tr0 = all.rows(ti), va0 = all.rows(vi);
                Standardizer std = Standardizer.fit(tr0.x());        // training folds only
                Dataset tr = std.apply(tr0), va = std.apply(va0);
                Experiment exp = Experiment.of(perLambda[k], tr, va, all.classes());   // targets shaped for the loss
                Sequential model = exp.model();
                String name = String.format("%s=%.3g", penalty, grid[k]);
                try (Optimizer opt = exp.optimizer(model, null);
                     TensorBoardRun events = tb.open(TensorBoardOutput.runFolder(k + 1, name) + "/fold" + (f + 1), opt,
                             model, exp.loss.classification() ? "accuracy" : "r2", perLambda[k].toMap())) {
                    if (k == 0 && f == 0) RunOutput.optimizer(System.out, "optimizer", opt);
                    TrainingPage.Sampler weights = f == 0 ? new TrainingPage.Sampler(model) : null;
                    TrainResult res = new Trainer(model, exp.loss, opt, exp.trainerOptions())
                            .listener(TensorBoardOutput.all(progress.run(name + " fold " + (f + 1) + "/" + folds),
                                    events, weights))
                            .fit(exp.train, null);
                    if (f == 0) pages.add(new TrainingPage.Run(name + " (fold 1)", res.history(), weights));
                }
                train[k][f] = Metrics.evaluate(model, exp.train, exp.loss).loss();
                val[k][f] = Metrics.evaluate(model, exp.val, exp.loss).loss();
            }
            progress.clear();
            System.out.printf("%s = %-10.4g val_loss %.5f ± %.5f   train_loss %.5f%n", penalty, grid[k], mean(val[k]),
                    std(val[k]), mean(train[k]));
            writeTable(folder, s, Arrays.copyOf(grid, k + 1), Arrays.copyOf(val, k + 1), Arrays.copyOf(train, k + 1),
                    k + 1 == grid.length);
        }
        int best = best(val);
        System.out.printf("best %s = %.4g (mean validation loss %.5f over %d folds)%n", penalty, grid[best],
                mean(val[best]), folds);
        double[] vm = Arrays.stream(val).mapToDouble(SweepCommand::mean).toArray();
        double[] tm = Arrays.stream(train).mapToDouble(SweepCommand::mean).toArray();
        Path plot = Plots.lines(folder.file("validation_curve.png"),
                Plots.Axes.of(folds + "-fold CV over " + penalty + ": best " + String.format("%.3g", grid[best]),
                penalty, "loss").withLogX().withMark(Math.max(grid[best], 1e-12),
                        "chosen " + penalty + " = " + String.format("%.3g", grid[best])), List.of(new Plots.Series("validation", positive(grid), vm),
                new Plots.Series("training", positive(grid), tm)));
        TrainingPage.write(folder.file("sweep.html"), folds + "-fold CV over " + penalty + " on "
                + RunOutput.dataName(s) + ": training of fold 1 at each " + penalty + " (best "
                + String.format("%.3g", grid[best]) + ")", exp0Metric(all), pages, new TrainingPage.Slider(penalty,
                Arrays.stream(grid).mapToObj(g -> String.format("%.3g", g)).toList()));
        folder.finish();
        System.out.println("page: " + out.resolve("sweep.html") + " (interactive: a slider over " + penalty + ")");
        System.out.println("plot: " + (plot == null ? "not drawn (" + Plots.unavailableReason() + ")" : plot));
        if (tb.root() != null) System.out.println("tensorboard: tensorboard --logdir " + tb.root());
        return 0;
    }

    /** The page's metric name for this data: accuracy for classes, R² otherwise. */
    private static String exp0Metric(Dataset all) { return all.classes() > 0 ? "Accuracy" : "R²"; }

    private void writeTable(RunFolder folder, RunRequest s, double[] grid, double[][] val, double[][] train,
            boolean complete) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> config = s.toMap();
        config.remove("val_split");
        doc.put("config", config);
        RunOutput.putDevice(doc, s.device());
        doc.put("penalty", penalty);
        doc.put("folds", folds);
        doc.put("complete", complete);
        doc.put("lambdas", grid);
        doc.put("val_loss_mean", Arrays.stream(val).mapToDouble(SweepCommand::mean).toArray());
        doc.put("val_loss_std", Arrays.stream(val).mapToDouble(SweepCommand::std).toArray());
        doc.put("train_loss_mean", Arrays.stream(train).mapToDouble(SweepCommand::mean).toArray());
        doc.put("best_lambda", grid[best(val)]);
        Json.write(folder.file("sweep.json"), doc);
    }

    /** The grid point with the lowest mean validation loss; NaN (a diverged point) never wins. */
    private static int best(double[][] val) {
        int best = 0;
        for (int k = 1; k < val.length; k++) {
            if (mean(val[k]) < mean(val[best]) || Double.isNaN(mean(val[best]))) best = k;
        }
        return best;
    }

    static double[] parseGrid(String g) {
        String[] p = g.split(":", -1);
        try {
            if (p.length != 3) throw new NumberFormatException();
            double lo = Numbers.parseDouble(p[0]), hi = Numbers.parseDouble(p[1]);
            int count = Numbers.parseInt(p[2]);
            if (!(lo > 0) || !(hi > lo) || !Double.isFinite(hi) || count < 2 || count > 1000) throw new NumberFormatException();
            double[] out = new double[count];
            for (int i = 0; i < count; i++) out[i] = lo * Math.pow(hi / lo, (double) i / (count - 1));
            return out;
        } catch (RuntimeException e) {
            throw new ConfigException("--grid must be MIN:MAX:COUNT with 0 < MIN < MAX and 2 <= COUNT <= 1000, got '"
                    + g + "'");
        }
    }

    private static double[] positive(double[] g) { return Arrays.stream(g).map(v -> Math.max(v, 1e-12)).toArray(); }
    static double mean(double[] v) { return Arrays.stream(v).average().orElse(Double.NaN); }
    static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
    }
}
