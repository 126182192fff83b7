package io.ndopt.internal.cli;

import io.ndopt.data.Dataset;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.LayerSpec;
import io.ndopt.internal.config.OptimizerSpec;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.internal.io.Numbers;
import io.ndopt.internal.plot.Plots;
import io.ndopt.internal.plot.TrainingPage;
import io.ndopt.internal.run.DeviceChoice;
import io.ndopt.internal.run.Experiment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * k-fold cross-validation over a grid: a regularization strength λ, optionally × several optimizers ({@code --run},
 * as compare) × several training seeds ({@code --seeds}). The penalty must be one the optimizer applies
 * (weight_decay with prox_sgd is refused), the folds must fit the data, and every grid point's settings are
 * validated before the first step; sweep.json is rewritten after each finished (run, λ). The cells run here one
 * after the other, or as Spark tasks ({@code io.ndopt.spark.SweepJob}, a {@link GridRunner}): both through
 * {@link SweepGrid#run}, so both write the same numbers.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "k-fold cross-validation over a lambda grid: --penalty weight_decay|l1|l2 --lambdas 1e-4,1e-3,... (or --grid "
                + "MIN:MAX:COUNT, log-spaced); optionally several optimizers (--run TYPE:k=v,..., as compare) and "
                + "training seeds (--seeds 1,2,3): one cell per (run, lambda, fold, seed).",
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
    @Option(names = "--run", description = "An optimizer of the grid, TYPE:key=value,... as compare's --run (repeat "
            + "for several; default: the optimizer of the flags). Optimizer flags are shared by every run.")
    List<String> runs;
    @Option(names = "--seeds", split = ",", description = "Training seeds of the grid, comma-separated (default: "
            + "--seed). The folds come from --seed; each of these seeds the model, batch order and dropout.")
    long[] seeds;
    @Option(names = "--out", required = true,
            description = "Output folder (must be empty or new, unless --overwrite).") Path out;
    @Option(names = "--overwrite", description = "Delete the previous run's files in --out first.") boolean overwrite;

    /** Where the cells run: null is here, one after the other (with progress, TensorBoard and the page). */
    GridRunner runner;

    @Override public Integer call() throws Exception {
        SweepGrid g = grid();
        if (runner != null) runner.start();
        try (RunFolder folder = RunFolder.prepare(out, "sweep", overwrite, null, options.inputs(g.settings),
                System.out)) {
            return runner == null ? new SweepLocal(g, folder, out).run() : remote(g, folder);
        }
    }

    /** Every check of the arguments, then the data and the grid; nothing written. */
    SweepGrid grid() {
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
        if (seeds != null && seeds.length == 0) throw new ConfigException("--seeds is empty: give one seed or more");
        if (seeds != null && Arrays.stream(seeds).distinct().count() != seeds.length) {
            throw new ConfigException("--seeds gives a seed twice (each seed once): " + Arrays.toString(seeds));
        }
        options.refuse("sweep", "the folds are the validation data", Keys.VAL_SPLIT, Keys.PATIENCE);
        options.refuse("sweep", "sweep writes no checkpoints", Keys.CHECKPOINT_EVERY);
        options.refuse("sweep", "sweep reports no step times", Keys.TIMING_WARMUP);
        options.refuse("sweep", "only train writes a network to prune", Keys.PRUNE);
        options.refuse("sweep", "--penalty " + penalty + " sets it for every grid point", Keys.byName(penalty));
        if (runs != null) options.refuse("sweep", "each --run names its optimizer", Keys.OPTIMIZER);
        Map<String, Object> shared = new LinkedHashMap<>();
        RunRequest s = (runs == null ? options.resolve(LayerSpec.empty())
                : RunRequest.of(options.splitOptimizerFields(shared))).with("sweep", Map.of("val_split", 0.0));
        if (runner == null) DeviceChoice.require(s);        // Spark: each task checks its own device
        long[] seedList = seeds != null ? seeds : new long[] {s.seed()};
        List<String> labels = new ArrayList<>();
        List<OptimizerSpec> bases = new ArrayList<>();
        if (runs == null) {
            labels.add(s.get(Keys.OPTIMIZER));
            bases.add(s.optimizerSpec());
        } else {
            for (String run : runs) {
                OptimizerSpec spec = CompareCommand.merged(run, shared);
                if (spec.fields().containsKey(penalty)) {
                    throw new ConfigException("--run '" + run + "' sets " + penalty + ", which --penalty " + penalty
                            + " sets for every grid point");
                }
                for (int j = 0; j < bases.size(); j++) {
                    if (bases.get(j).type().equals(spec.type()) && bases.get(j).fields().equals(spec.fields())) {
                        throw new ConfigException("--run '" + run + "' is the same optimizer as --run '"
                                + runs.get(j) + "'");
                    }
                }
                labels.add(run);
                bases.add(spec);
            }
        }
        RunRequest[][][] requests = new RunRequest[labels.size()][grid.length][seedList.length];
        OptimizerSpec[][] specs = new OptimizerSpec[labels.size()][grid.length];
        for (int r = 0; r < labels.size(); r++) {
            for (int k = 0; k < grid.length; k++) {
                Map<String, Object> lambda = Map.of(penalty, grid[k]);
                RunRequest perLambda = runs == null ? s.with("--penalty " + penalty, lambda) : s;
                specs[r][k] = runs == null ? null : bases.get(r).withFields(lambda);
                (specs[r][k] != null ? specs[r][k] : perLambda.optimizerSpec()).toBuilder();  // checked before work
                for (int j = 0; j < seedList.length; j++) {
                    requests[r][k][j] = seeds == null ? perLambda : perLambda.with("--seeds", Map.of("seed", seedList[j]));
                }
            }
        }
        Dataset all = Experiment.loadRaw(s);
        if (folds > all.size()) {
            throw new ConfigException("--folds " + folds + " is more than the " + all.size() + " rows of the data");
        }
        return new SweepGrid(s, penalty, grid, folds, seedList, labels, bases, requests, specs, all);
    }

    /** The cells through {@link #runner}; the results written here, as the local run writes them. */
    private int remote(SweepGrid g, RunFolder folder) throws Exception {
        System.out.println("config: " + g.config());
        SweepReport report = new SweepReport(g);
        folder.begin();
        runner.run(g, g.cells(), report::add);
        for (int r = 0; r < g.labels.size(); r++) {
            for (int k = 0; k < g.lambdas.length; k++) {
                if (!report.done(r, k)) throw new IllegalStateException("the runner left " + g.labels.get(r) + " "
                        + penalty + "=" + g.lambdas[k] + " unfinished");
                System.out.println(report.line(r, k));
            }
        }
        report.write(folder, true, runner.describe());
        System.out.println(report.bestLine());
        Path plot = report.plot(folder);
        folder.finish();
        System.out.println("table: " + out.resolve("sweep.json"));
        System.out.println("plot: " + (plot == null ? "not drawn (" + Plots.unavailableReason() + ")" : plot));
        return 0;
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

    /** The page's metric name for this data: accuracy for classes, R² otherwise. */
    static String metricName(Dataset all) { return all.classes() > 0 ? "Accuracy" : "R²"; }

    static List<String> sliderValues(SweepGrid g) {
        List<String> v = new ArrayList<>();
        for (String label : g.labels) {
            for (double l : g.lambdas) {
                v.add((g.labels.size() > 1 ? label + " " : "") + String.format("%.3g", l));
            }
        }
        return v;
    }

    /** The page's slider: one position per (run, λ). */
    static TrainingPage.Slider slider(SweepGrid g) {
        return new TrainingPage.Slider(g.labels.size() > 1 ? "run, " + g.penalty : g.penalty, sliderValues(g));
    }
}
