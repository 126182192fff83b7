package io.ndopt.internal.demo;

import io.ndopt.data.Dataset;
import io.ndopt.internal.plot.TrainingPage;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.Metrics;
import io.ndopt.train.SparsityReport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One demo run as a run of the interactive page ({@link TrainingPage}, frames counted in
 * {@link TrainingPage.Unit#STEP}: a record's {@code steps()} is the step count, its {@code epoch()} the frame's
 * index): a frame every few full-batch steps — the
 * losses and metric on the training (and validation) data, ‖W‖, the fraction of exact zeros, and every weight of
 * the model's first matrix. Pass {@link #frame()} to {@link FullBatch}'s {@code after}.
 */
final class PageRun {
    private final String name;
    private final Sequential model;
    private final Loss loss;
    private final Dataset train, val;
    private final double lr;
    private final TrainingPage.Sampler weights;
    private final List<EpochRecord> history = new ArrayList<>();

    /** {@code val} null: no validation curves. Records the starting weights. */
    PageRun(String name, Sequential model, Loss loss, Dataset train, Dataset val, double lr) {
        this.name = name;
        this.model = model;
        this.loss = loss;
        this.train = train;
        this.val = val;
        this.lr = lr;
        this.weights = new TrainingPage.Sampler(model, Integer.MAX_VALUE);
    }

    /** Records a frame after the step count it is given. */
    IntConsumer frame() {
        return steps -> {
            Metrics.Eval t = Metrics.evaluate(model, train, loss);
            Metrics.Eval v = val == null ? new Metrics.Eval(Double.NaN, Double.NaN) : Metrics.evaluate(model, val, loss);
            SparsityReport s = SparsityReport.of(model);
            long all = s.layers().stream().mapToLong(SparsityReport.LayerSparsity::weights).sum();
            history.add(new EpochRecord(history.size() + 1, steps, lr, t.loss(), t.loss(), t.metric(), v.loss(),
                    v.metric(), 0, 0, model.weightNorm(), all == 0 ? 0 : (double) s.zeroWeights() / all));
            weights.sample();
        };
    }

    TrainingPage.Run run() { return new TrainingPage.Run(name, List.copyOf(history), weights); }
}
