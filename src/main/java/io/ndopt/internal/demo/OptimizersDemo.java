package io.ndopt.internal.demo;

import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.device.Device;
import io.ndopt.internal.io.AtomicFiles;
import io.ndopt.internal.plot.Plots;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.optim.Rule;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.Metrics;
import io.ndopt.train.TrainResult;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Six update rules on one problem: the same 2-64-64-64-5 tanh MLP (same init) trained on the same five-arm spirals
 * (angle noise 0.5, so arms overlap and no rule reaches zero loss; same batches) with AdamW, Lion, Muon (+ aux AdamW),
 * schedule-free AdamW, NAdam and RMSprop, each at the learning rate listed in {@link #RULES}: chosen from
 * {1e-3, 3e-3, 1e-2} (Lion from {1e-4, 3e-4, 1e-3}, Muon from {1e-2, 2e-2, 5e-2}) by final validation loss at seed
 * 42, the other settings fixed beforehand (decoupled decay 1e-2, Lion's 10× larger as its authors advise). Muon
 * takes the two hidden 64×64 weights, its aux AdamW the first and last layer and the biases. Schedule-free AdamW is evaluated at its eval point x (the trainer switches
 * to it for every evaluation). Fields: {@code runs} (per rule: {@code optimizer, settings, final_val_loss,
 * best_val_loss, best_epoch, final_val_accuracy, initial_val_loss, wall_seconds, steps} and the per-epoch curves {@code steps_curve,
 * seconds_curve, val_loss_curve}), {@code table} (the same as markdown, also written to table.md). Wall time is the
 * training steps plus the per-epoch evaluation, cumulative, on this device, after one untimed warm-up epoch of
 * the rule on a throwaway model: read it within one run. Plots:
 * val_loss_steps.png, val_loss_time.png.
 */
final class OptimizersDemo {
    static final int N = 3000, CLASSES = 5, EPOCHS = 60, BATCH = 64;
    static final double NOISE = 0.5;
    static final int[] HIDDEN = {64, 64, 64};

    /** One rule of the demo: its name, its settings (for the table) and its builder. */
    record RuleRun(String name, String settings, Supplier<OptimizerBuilder> builder) {}

    static final List<RuleRun> RULES = List.of(
            new RuleRun("adamw", "lr 3e-3, weight_decay 1e-2", () -> Optimizer.adamw(3e-3).weightDecay(1e-2)),
            new RuleRun("lion", "lr 3e-4, weight_decay 1e-1", () -> Optimizer.lion(3e-4).weightDecay(1e-1)),
            new RuleRun("muon", "lr 1e-2 (hidden weights), aux AdamW lr 3e-3, weight_decay 1e-2",
                    () -> Optimizer.muon(1e-2).weightDecay(1e-2).aux(Rule.Adam.defaults(), 3e-3, 1e-2)),
            new RuleRun("schedule_free_adamw", "lr 3e-3, warmup 50 steps, evaluated at x",
                    () -> Optimizer.scheduleFreeAdamw(3e-3).warmupSteps(50)),
            new RuleRun("nadam", "lr 1e-3", () -> Optimizer.nadam(1e-3)),
            new RuleRun("rmsprop", "lr 1e-3", () -> Optimizer.rmsprop(1e-3)));

    private OptimizersDemo() {}

    private static TrainResult train(RuleRun rule, Sequential model, Device device, Dataset train, Dataset val,
                                     int epochs, long seed) {
        try (Optimizer opt = rule.builder().get().device(device).build(model.params())) {
            return new Trainer(model, Loss.SOFTMAX_CROSS_ENTROPY, opt, TrainerOptions.defaults().withEpochs(epochs)
                    .withBatchSize(BATCH).withSeed(seed)).fit(train, val);
        }
    }

    static Map<String, Object> run(Path dir, long seed, Device device) throws IOException {
        return run(dir, seed, device, EPOCHS, N);
    }

    /** The demo with another length and data size (the test runs it small). */
    static Map<String, Object> run(Path dir, long seed, Device device, int epochs, int n) throws IOException {
        DataType dt = DataType.FLOAT;
        Dataset[] split = Synthetic.spirals(n, CLASSES, NOISE, seed, dt).split(1.0 / 3, seed);
        Dataset train = split[0], val = split[1];
        List<Map<String, Object>> runs = new ArrayList<>();
        List<Plots.Series> bySteps = new ArrayList<>(), byTime = new ArrayList<>();
        StringBuilder table = new StringBuilder("| optimizer | settings | final val loss | best val loss (epoch) | "
                + "final val accuracy | wall s |\n|---|---|---|---|---|---|\n");
        for (RuleRun rule : RULES) {
            train(rule, Sequential.mlp(2, HIDDEN, CLASSES, Activation.TANH, Activation.IDENTITY, dt, seed), device,
                    train, val, 1, seed);                  // untimed warm-up epoch: no rule pays for the JIT of another
            Sequential model = Sequential.mlp(2, HIDDEN, CLASSES, Activation.TANH, Activation.IDENTITY, dt, seed);
            double initial = Metrics.evaluate(model, val, Loss.SOFTMAX_CROSS_ENTROPY).loss();   // same init for all
            TrainResult r = train(rule, model, device, train, val, epochs, seed);
            List<EpochRecord> h = r.history();
            double[] steps = h.stream().mapToDouble(EpochRecord::steps).toArray();
            double[] loss = h.stream().mapToDouble(EpochRecord::valLoss).toArray();
            double[] seconds = new double[h.size()];
            for (int i = 0; i < seconds.length; i++) seconds[i] = (i > 0 ? seconds[i - 1] : 0) + h.get(i).seconds();
            int best = 0;
            for (int i = 1; i < loss.length; i++) if (loss[i] < loss[best]) best = i;
            EpochRecord last = r.last();
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("optimizer", rule.name());
            run.put("settings", rule.settings());
            run.put("final_val_loss", last.valLoss());
            run.put("best_val_loss", loss[best]);
            run.put("best_epoch", h.get(best).epoch());
            run.put("final_val_accuracy", last.valMetric());
            run.put("initial_val_loss", initial);
            run.put("wall_seconds", seconds[seconds.length - 1]);
            run.put("steps", last.steps());
            run.put("steps_curve", steps);
            run.put("seconds_curve", seconds);
            run.put("val_loss_curve", loss);
            runs.add(run);
            bySteps.add(new Plots.Series(rule.name(), steps, loss));
            byTime.add(new Plots.Series(rule.name(), seconds, loss));
            table.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f (%d) | %.3f | %.2f |%n", rule.name(),
                    rule.settings(), last.valLoss(), loss[best], h.get(best).epoch(), last.valMetric(),
                    seconds[seconds.length - 1]));
        }
        String title = "Validation loss, 2-64-64-64-5 MLP on five-arm spirals";
        Plots.lines(dir.resolve("val_loss_steps.png"), Plots.Axes.of(title, "step", "validation loss"),
                bySteps);
        Plots.lines(dir.resolve("val_loss_time.png"), Plots.Axes.of(title + " (wall time)", "seconds",
                "validation loss"), byTime);
        AtomicFiles.write(dir.resolve("table.md"), table.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", "spirals: " + CLASSES + " arms, angle noise " + NOISE + ", " + train.size() + " train / " + val.size() + " val");
        out.put("model", "2-64-64-64-" + CLASSES + " tanh MLP, softmax cross-entropy, batch " + BATCH + ", " + epochs + " epochs");
        out.put("runs", runs);
        out.put("table", table.toString());
        out.put("plots", List.of("val_loss_steps.png", "val_loss_time.png"));
        return out;
    }
}
