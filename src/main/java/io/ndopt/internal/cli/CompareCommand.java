package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.OptimizerSpec;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.internal.io.Json;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.internal.plot.Plots;
import io.ndopt.internal.plot.RunCharts;
import io.ndopt.internal.plot.TrainingPage;
import io.ndopt.internal.tensorboard.TensorBoardRun;
import io.ndopt.internal.run.DeviceChoice;
import io.ndopt.train.EpochRecord;
import io.ndopt.internal.run.Experiment;
import io.ndopt.train.TrainResult;
import io.ndopt.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The same data, model and seed under several optimizer configurations, side by side. Optimizer
 * fields given as flags or in the config file are shared by every run, and each {@code --run}'s
 * own fields override them; a shared field must apply to every run. All runs are validated before
 * the first step, and compare.json is rewritten after each finished run, so a late failure loses
 * nothing that finished.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Train the same model on the same data with the same seed under several optimizers, e.g.",
        "  --run adam:lr=1e-3,wd=1e-4 --run adamw:lr=1e-3,wd=1e-2",
        "Prints one table and writes DIR/compare.json, the figure DIR/compare.png, the interactive page "
                + "DIR/compare.html, TensorBoard event files in DIR/tensorboard/ and DIR/run.json."})
final class CompareCommand implements Callable<Integer> {
    @Mixin TrainOptions options;

    @Option(names = "--run", required = true,
            description = "An optimizer: TYPE:key=value,... with the optimizer keys of the flags"
            + " (lr, momentum, dampening, nesterov, betas=b1/b2, eps, weight_decay or wd, amsgrad, decay_mode, l1, "
                    + "l2, ...).")
    List<String> runs;

    @Option(names = "--out", required = true,
            description = "Output folder (must be empty or new, unless --overwrite).") Path out;
    @Option(names = "--overwrite", description = "Delete the previous run's files in --out first.") boolean overwrite;

    @Override public Integer call() throws Exception {
        options.refuse("compare", "each --run names its optimizer", Keys.OPTIMIZER);
        options.refuse("compare", "compare writes no checkpoints", Keys.CHECKPOINT_EVERY);
        options.refuse("compare", "only train writes a network to prune", Keys.PRUNE);
        Map<String, Object> shared = new LinkedHashMap<>();
        RunRequest s = RunRequest.of(options.splitOptimizerFields(shared));
        DeviceChoice.require(s);
        List<OptimizerSpec> specs = new ArrayList<>();
        for (String run : runs) {
            OptimizerSpec spec = merged(run, shared);
            for (int j = 0; j < specs.size(); j++) {
                if (specs.get(j).type().equals(spec.type()) && specs.get(j).fields().equals(spec.fields())) {
                    throw new ConfigException("--run '" + run + "' is the same optimizer as --run '"
                            + runs.get(j) + "'");
                }
            }
            specs.add(spec);
        }
        Experiment exp = new Experiment(s);
        // every run is valid before the first step (checked on the CPU: no GPU memory held)
        for (OptimizerSpec spec : specs) exp.check(spec);
        try (RunFolder folder = RunFolder.prepare(out, "compare", overwrite, null, options.inputs(s), System.out)) {
            return run(s, exp, specs, folder);
        }
    }

    /** A {@code --run}'s optimizer: the shared optimizer fields (flags, config file) under its own. */
    static OptimizerSpec merged(String run, Map<String, Object> shared) {
        OptimizerSpec own = OptimizerSpec.parse(run);
        Map<String, Object> fields = new LinkedHashMap<>(shared);
        fields.putAll(own.fields());
        return new OptimizerSpec(own.type(), fields,
                own.where() + (shared.isEmpty() ? "" : " with the shared " + shared.keySet()));
    }

    private int run(RunRequest s, Experiment exp, List<OptimizerSpec> specs, RunFolder folder) throws Exception {
        TensorBoardOutput tb = new TensorBoardOutput(folder, s);
        String metric = exp.loss.classification() ? "acc" : "R2";
        List<Map<String, Object>> rows = new ArrayList<>();
        List<RunCharts.Run> curves = new ArrayList<>();
        List<TrainingPage.Run> pages = new ArrayList<>();
        folder.begin();
        RunOutput.setup(System.out, sharedConfig(s), s, exp.device, exp.model());   // model(): the thread split
        long warm = s.get(Keys.TIMING_WARMUP);
        if (warm > 0) {
            System.out.println("warm-up: up to " + warm + (warm == 1 ? " step" : " steps")
                    + " of each run on a throwaway model, untimed");
            for (OptimizerSpec spec : specs) exp.warmUp(spec);
        }
        long steps = (long) s.epochs() * ((exp.train.size() + s.batchSize() - 1) / s.batchSize());
        Progress progress = new Progress(System.out, steps * specs.size(), true);
        for (int i = 0; i < specs.size(); i++) {
            Sequential model = exp.model();
            String label = runs.get(i);
            TrainResult r;
            try (Optimizer opt = exp.optimizer(model, specs.get(i));
                 TensorBoardRun events = tb.open(TensorBoardOutput.runFolder(i + 1, label), opt, model,
                         exp.loss.classification() ? "accuracy" : "r2", runConfig(s, specs.get(i)))) {
                RunOutput.optimizer(System.out, "run " + label, opt);
                TrainingPage.Sampler weights = new TrainingPage.Sampler(model);
                r = new Trainer(model, exp.loss, opt, exp.trainerOptions())
                        .listener(TensorBoardOutput.all(progress.run(label), events, weights))
                        .fit(exp.train, exp.val);
                pages.add(new TrainingPage.Run(label, r.history(), weights));
            }
            rows.add(row(label, specs.get(i), r));
            curves.add(new RunCharts.Run(label, r.history()));
            writeTable(folder, s, exp, metric, rows, i + 1 == specs.size());
        }
        System.out.println();
        System.out.printf("%-36s %10s %10s %10s %10s %9s %8s %9s %10s%n", "run", "train_loss", "train_" + metric,
                "val_loss", "val_" + metric, "||W||", "%zeros", "ms/step", "1st epoch");
        for (Map<String, Object> r : rows) {
            System.out.printf("%-36s %10.4f %10.4f %10.4f %10.4f %9.3f %7.2f%% %9s %10s%n", r.get("run"),
                    r.get("train_loss"), r.get("train_metric"),
                    r.get("val_loss"), r.get("val_metric"), r.get("weight_norm"),
                    100 * (double) r.get("zero_weight_fraction"), RunOutput.ms((double) r.get("ms_per_step")),
                    RunOutput.ms((double) r.get("ms_per_step_first_epoch")));
        }
        System.out.println("ms/step: median over epochs 2.." + s.epochs() + " of the mean step time (forward, backward,"
                + " update)" + (warm > 0 ? ", after the warm-up" : ", no warm-up") + "; 1st epoch: its own, apart");
        Path plot = RunCharts.draw(folder.file("compare.png"), "compare on " + RunOutput.dataName(s) + ": "
                + String.join("  vs  ", runs), exp.loss.classification() ? "accuracy" : "R²", curves);
        TrainingPage.write(folder.file("compare.html"), "compare on " + RunOutput.dataName(s) + ": "
                + String.join("  vs  ", runs), exp.loss.classification() ? "Accuracy" : "R²", pages, null);
        folder.finish();
        System.out.println("\npage: " + out.resolve("compare.html") + " (interactive: play, step)");
        System.out.println("plot: " + (plot == null ? "not drawn (" + Plots.unavailableReason() + ")" : plot)
                + "\ntable: " + out.resolve("compare.json"));
        if (tb.root() != null) System.out.println("tensorboard: tensorboard --logdir " + tb.root());
        return 0;
    }

    private static Map<String, Object> row(String label, OptimizerSpec spec, TrainResult r) {
        EpochRecord last = r.last();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", label);
        row.put("optimizer", spec.toMap());
        row.put("train_loss", last.trainLoss());
        row.put("train_metric", last.trainMetric());
        row.put("val_loss", last.valLoss());
        row.put("val_metric", last.valMetric());
        row.put("weight_norm", r.weightNorm());
        row.put("zero_weight_fraction", r.sparsity().zeroFraction());
        RunOutput.putTiming(row, r);
        row.put("skipped_steps", r.skippedSteps());
        row.put("nonfinite_steps", r.nonFiniteSteps());
        row.put("history", r.history());
        return row;
    }

    /** A run's whole configuration: the shared settings and its optimizer. */
    private static Map<String, Object> runConfig(RunRequest s, OptimizerSpec spec) {
        Map<String, Object> config = sharedConfig(s);
        config.put("optimizer", spec.toMap());
        return config;
    }

    /** The settings every run shares; the optimizer's are per run (under "optimizer"). */
    static Map<String, Object> sharedConfig(RunRequest s) {
        Map<String, Object> config = s.toMap();
        config.remove(Keys.OPTIMIZER.name());
        Keys.optimizerFields().forEach(k -> config.remove(k.name()));
        return config;
    }

    private static void writeTable(RunFolder folder, RunRequest s, Experiment exp, String metric,
            List<Map<String, Object>> rows, boolean complete) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", sharedConfig(s));
        doc.put("backend", RunOutput.backendMap());
        RunOutput.putDevice(doc, exp.device);
        doc.put("metric", metric);
        doc.put("complete", complete);
        doc.put("runs", rows);
        Json.write(folder.file("compare.json"), doc);
    }
}
