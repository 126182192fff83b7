package io.ndopt.cli;

import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerSpec;
import io.ndopt.plot.Plots;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.Experiment;
import io.ndopt.train.TrainResult;
import io.ndopt.train.TrainSettings;
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

/** The same data, model and seed under several optimizer configurations, side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true, description = {
        "Train the same model on the same data with the same seed under several optimizers, e.g.",
        "  --run adam:lr=1e-3,wd=1e-4 --run adamw:lr=1e-3,wd=1e-2",
        "Prints one table and writes DIR/compare.json and the overlay plot DIR/compare.png."})
final class CompareCommand implements Callable<Integer> {
    @Mixin TrainOptions options;

    @Option(names = "--run", required = true, description = "An optimizer: TYPE:key=value,... (keys: lr, momentum, dampening, nesterov, betas=b1/b2, eps, wd, amsgrad, l1, l2, decay_mode).")
    List<String> runs;

    @Option(names = "--out", required = true, description = "Output folder.") Path out;

    @Override public Integer call() throws Exception {
        TrainSettings s = options.resolve(null);
        Experiment exp = new Experiment(s);
        List<OptimizerSpec> specs = runs.stream().map(OptimizerSpec::parse).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Plots.Series> curves = new ArrayList<>();
        boolean hasVal = exp.val != null;
        for (int i = 0; i < specs.size(); i++) {
            Sequential model = exp.model();
            Optimizer opt = exp.optimizer(model, specs.get(i));
            String label = runs.get(i);
            RunOutput.header(System.out, s, opt, model, " | run " + label + " (its fields replace the optimizer settings above)");
            long steps = (long) s.epochs() * ((exp.train.size() + s.batchSize() - 1) / s.batchSize());
            TrainResult r = new Trainer(model, exp.loss, opt, exp.trainConfig()).listener(new Progress(System.out, label, steps))
                    .fit(exp.train, exp.val);
            EpochRecord last = r.last();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", label);
            row.put("train_loss", last.trainLoss());
            row.put("train_metric", last.trainMetric());
            row.put("val_loss", last.valLoss());
            row.put("val_metric", last.valMetric());
            row.put("weight_norm", r.weightNorm());
            row.put("zero_weight_fraction", r.sparsity().zeroFraction());
            row.put("ms_per_step", r.msPerStep());
            row.put("history", r.history());
            rows.add(row);
            double[] ep = r.history().stream().mapToDouble(EpochRecord::epoch).toArray();
            curves.add(new Plots.Series(label + (hasVal ? " (val)" : " (train)"), ep,
                    r.history().stream().mapToDouble(hasVal ? EpochRecord::valLoss : EpochRecord::trainLoss).toArray()));
            if (hasVal) curves.add(new Plots.Series(label + " (train)", ep, r.history().stream().mapToDouble(EpochRecord::trainLoss).toArray()));
        }
        String metric = exp.loss.classification() ? "acc" : "R2";
        System.out.println();
        System.out.printf("%-36s %10s %10s %10s %10s %9s %8s %9s%n", "run", "train_loss", "train_" + metric, "val_loss", "val_" + metric, "||W||", "%zeros", "ms/step");
        for (Map<String, Object> r : rows) {
            System.out.printf("%-36s %10.4f %10.4f %10.4f %10.4f %9.3f %7.2f%% %9.3f%n", r.get("run"), r.get("train_loss"), r.get("train_metric"),
                    r.get("val_loss"), r.get("val_metric"), r.get("weight_norm"), 100 * (double) r.get("zero_weight_fraction"), r.get("ms_per_step"));
        }
        Path plot = Plots.lines(out.resolve("compare.png"), Plots.Axes.of("Loss per epoch: " + String.join(" vs ", runs), "epoch", "loss"), curves);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", s.toMap());
        doc.put("backend", RunOutput.backendMap());
        doc.put("metric", metric);
        doc.put("runs", rows);
        RunOutput.writeJson(out.resolve("compare.json"), doc);
        System.out.println("\nplot: " + plot + "\ntable: " + out.resolve("compare.json"));
        return 0;
    }
}
