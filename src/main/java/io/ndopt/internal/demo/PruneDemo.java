package io.ndopt.internal.demo;

import io.ndopt.data.Dataset;
import io.ndopt.device.Device;
import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.internal.plot.Plots;
import io.ndopt.prune.Pruned;
import io.ndopt.prune.Pruner;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.Metrics;
import io.ndopt.train.TrainResult;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Structured pruning with group lasso: two-moons labels read from inputs 0 and 1 of {@value #INPUTS}
 * (the rest is Gaussian noise), a {@value #INPUTS}-64-64-1 ReLU MLP — far more inputs and units than
 * the task needs. Same seed, init and batch order for four runs with Adam: no penalty, proximal L1,
 * L2, and group lasso on the rows of every weight matrix (a row of {@code fc1.W} is an input
 * feature, a row of {@code fc2.W} / {@code out.W} a unit's outgoing weights). Each trained network
 * is pruned ({@link Pruner}) and evaluated again. Fields: {@code runs} (penalty, strength,
 * val accuracy before/after pruning, inputs used, which informative inputs survive, live units per
 * hidden layer, parameters before/after, fraction of exact-zero weights). Plots: input_norms.png,
 * val_accuracy.png.
 */
final class PruneDemo {
    static final int INPUTS = 30, TRAIN = 400, VAL = 400;
    static final int[] HIDDEN = {64, 64};

    /** Training length and penalty strengths (one value per penalty, each run uses one). */
    record Settings(int epochs, int batch, double lr, double l1, double l2, double group) {
        static final Settings DEFAULT = new Settings(75, 100, 3e-3, 0.3, 0.1, 0.6);
    }

    private PruneDemo() {}

    /** Moons in inputs 0 and 1, N(0, 1) noise in the others. */
    static Dataset data(long seed, DataType dt) {
        Dataset moons = Synthetic.moons(TRAIN + VAL, 0.15, 0.0, seed, DataType.DOUBLE);
        double[][] x = new double[TRAIN + VAL][INPUTS];
        double[][] m = moons.x().toDoubleMatrix();
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (int i = 0; i < x.length; i++) {
            x[i][0] = (m[i][0] - 0.5) / 0.9;
            x[i][1] = (m[i][1] - 0.25) / 0.5;
            for (int j = 2; j < INPUTS; j++) x[i][j] = gauss(r);
        }
        return Dataset.classification(x, moons.labels(), 2, dt);
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static Map<String, Object> run(Path dir, long seed, Device device) throws IOException {
        return run(dir, seed, Settings.DEFAULT, device);
    }

    static Map<String, Object> run(Path dir, long seed, Settings cfg, Device device) throws IOException {
        DataType dt = DataType.FLOAT;
        Dataset[] split = data(seed, dt).split((double) VAL / (TRAIN + VAL), seed);
        Dataset train = split[0], val = split[1];
        Map<String, UnaryOperator<OptimizerBuilder>> penalties = new LinkedHashMap<>();
        penalties.put("none", b -> b);
        penalties.put("l1", b -> b.l1(cfg.l1()));
        penalties.put("l2", b -> b.l2(cfg.l2()));
        penalties.put("group_lasso", b -> b.groupLasso(GroupLasso.rows(cfg.group())));
        Map<String, Double> strength = Map.of("none", 0.0, "l1", cfg.l1(), "l2", cfg.l2(), "group_lasso", cfg.group());
        List<Map<String, Object>> runs = new ArrayList<>();
        List<Plots.Series> norms = new ArrayList<>(), curves = new ArrayList<>();
        for (var e : penalties.entrySet()) {
            Sequential model = Sequential.mlp(INPUTS, HIDDEN, 1, Activation.RELU, Activation.IDENTITY, dt, seed);
            Optimizer opt = e.getValue().apply(Optimizer.adam(cfg.lr())).device(device).build(model.params());
            TrainResult r;
            try {
                r = new Trainer(model, Loss.BCE_WITH_LOGITS, opt,
                        TrainerOptions.defaults().withEpochs(cfg.epochs()).withBatchSize(cfg.batch()).withSeed(seed))
                        .fit(train, val);
            } finally {
                opt.close();
            }
            Pruned p = Pruner.prune(model);
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("penalty", e.getKey());
            run.put("strength", strength.get(e.getKey()));
            run.put("val_accuracy", r.last().valMetric());
            run.put("val_accuracy_pruned", Metrics.accuracy(Loss.BCE_WITH_LOGITS.predict(p.predict(val.x())), val));
            run.put("max_abs_prediction_change",
                    p.predict(val.x()).sub(model.forward(val.x())).amaxNumber().doubleValue());
            run.put("inputs_used", p.report().liveInputs());
            run.put("informative_inputs_kept", Arrays.stream(p.keptInputs()).filter(i -> i < 2).count());
            run.put("live_units", p.report().layers().stream().map(l -> l.liveUnits()).toList());
            run.put("params", model.parameterCount());
            run.put("params_pruned", p.model().parameterCount());
            run.put("zero_weight_fraction", r.sparsity().zeroFraction());
            runs.add(run);
            INDArray w1 = ((Dense) model.layers().get(0)).weight().value();
            double[] idx = new double[INPUTS], rowNorm = new double[INPUTS];
            for (int i = 0; i < INPUTS; i++) { idx[i] = i; rowNorm[i] = w1.getRow(i).norm2Number().doubleValue(); }
            norms.add(new Plots.Series(e.getKey(), idx, rowNorm));
            curves.add(new Plots.Series(e.getKey(), r.history().stream().mapToDouble(EpochRecord::epoch).toArray(),
                    r.history().stream().mapToDouble(EpochRecord::valMetric).toArray()));
        }
        Plots.lines(dir.resolve("input_norms.png"),
                Plots.Axes.of("Norm of each input's weights in fc1 (inputs 0, 1 informative)", "input",
                "‖fc1.W[i, :]‖₂"), norms);
        Plots.lines(dir.resolve("val_accuracy.png"), Plots.Axes.of("Validation accuracy", "epoch", "accuracy"), curves);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", "two moons in inputs 0-1 + " + (INPUTS - 2) + " noise inputs, " + TRAIN + " train / "
                + VAL + " val");
        out.put("model", INPUTS + "-64-64-1 ReLU MLP, BCE with logits, Adam lr " + cfg.lr() + ", batch " + cfg.batch()
                + ", " + cfg.epochs() + " epochs");
        out.put("runs", runs);
        out.put("plots", List.of("input_norms.png", "val_accuracy.png"));
        return out;
    }
}
