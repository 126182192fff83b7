package io.ndopt.internal.demo;

import io.ndopt.data.Dataset;
import io.ndopt.device.Device;
import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.internal.plot.Plots;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.TrainResult;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Adam + L2 vs AdamW at equal nominal decay: a 2×64 ReLU MLP on 8-dimensional Gaussian blobs (4
 * classes, 20 % of labels replaced at random, 400 training and 1000 validation rows), same seed, init
 * and batch order for every run, for several decay values. With Adam the L2 gradient is divided by
 * sqrt(v) like the data gradient, so parameters with large gradients are barely decayed; AdamW
 * shrinks every weight by the same factor. Whatever the numbers say is reported as is. Fields:
 * {@code runs} ({@code optimizer, weight_decay, train_loss, val_loss, val_accuracy, weight_norm} and
 * the per-epoch validation curve). Plots: curves.png, summary.png.
 */
final class AdamwDemo {
    static final double[] DECAYS = {1e-2, 1e-1, 5e-1};
    static final int EPOCHS = 40, BATCH = 32;
    static final double LR = 3e-3;

    private AdamwDemo() {}

    static Map<String, Object> run(Path dir, long seed, Device device) throws IOException {
        DataType dt = DataType.FLOAT;
        Dataset all = Synthetic.blobs(1400, 4, 8, 1.0, 0.2, seed, dt);
        Dataset[] split = all.split(1000.0 / 1400, seed);
        Dataset train = split[0], val = split[1];
        List<Map<String, Object>> runs = new ArrayList<>();
        List<Plots.Series> curves = new ArrayList<>();
        Map<String, double[]> accByOpt = new LinkedHashMap<>();
        for (String name : new String[] {"adam", "adamw"}) {
            double[] acc = new double[DECAYS.length];
            for (int i = 0; i < DECAYS.length; i++) {
                double wd = DECAYS[i];
                Sequential model = Sequential.mlp(8, new int[] {64, 64}, 4, Activation.RELU,
                        Activation.IDENTITY, dt, seed);
                OptimizerBuilder b = name.equals("adam") ? Optimizer.adam(LR) : Optimizer.adamw(LR);
                Optimizer opt = b.weightDecay(wd).device(device).build(model.params());
                TrainResult r;
                try {
                    r = new Trainer(model, Loss.SOFTMAX_CROSS_ENTROPY, opt,
                            TrainerOptions.defaults().withEpochs(EPOCHS).withBatchSize(BATCH).withSeed(seed))
                            .fit(train, val);
                } finally {
                    opt.close();
                }
                EpochRecord last = r.last();
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("optimizer", name);
                run.put("weight_decay", wd);
                run.put("train_loss", last.trainLoss());
                run.put("val_loss", last.valLoss());
                run.put("val_accuracy", last.valMetric());
                run.put("train_accuracy", last.trainMetric());
                run.put("weight_norm", r.weightNorm());
                run.put("val_loss_curve", r.history().stream().mapToDouble(EpochRecord::valLoss).toArray());
                run.put("train_loss_curve", r.history().stream().mapToDouble(EpochRecord::trainLoss).toArray());
                runs.add(run);
                acc[i] = last.valMetric();
                double[] epochs = r.history().stream().mapToDouble(EpochRecord::epoch).toArray();
                curves.add(new Plots.Series(name + " wd=" + wd, epochs, (double[]) run.get("val_loss_curve")));
            }
            accByOpt.put(name, acc);
        }
        Plots.lines(dir.resolve("curves.png"),
                Plots.Axes.of("Validation loss: Adam+L2 vs AdamW at equal nominal decay", "epoch", "validation loss"),
                curves);
        List<Plots.Series> summary = new ArrayList<>();
        accByOpt.forEach((k, v) -> summary.add(new Plots.Series(k, DECAYS, v)));
        Plots.lines(dir.resolve("summary.png"),
                Plots.Axes.of("Final validation accuracy vs weight decay", "weight decay", "validation accuracy")
                .withLogX(), summary);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", "blobs: 8-d, 4 classes, 20% label noise, 400 train / 1000 val");
        out.put("model", "8-64-64-4 ReLU MLP, softmax cross-entropy, batch " + BATCH + ", " + EPOCHS
                + " epochs, lr " + LR);
        out.put("runs", runs);
        out.put("plots", List.of("curves.png", "summary.png"));
        return out;
    }
}
