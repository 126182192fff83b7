package io.ndopt.internal.cli;

import io.ndopt.internal.plot.Plots;
import io.ndopt.internal.plot.TrainingPage;
import io.ndopt.internal.run.DeviceChoice;
import io.ndopt.internal.tensorboard.TensorBoardRun;
import io.ndopt.train.TrainListener;
import io.ndopt.train.TrainResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sweep's cells here, one after the other, in index order: a progress bar, TensorBoard event files per cell,
 * the page (fold 1 of the first seed at each (run, λ)), and sweep.json rewritten after each finished (run, λ).
 */
final class SweepLocal {
    private final SweepGrid g;
    private final RunFolder folder;
    private final Path out;

    SweepLocal(SweepGrid g, RunFolder folder, Path out) {
        this.g = g;
        this.folder = folder;
        this.out = out;
    }

    int run() throws Exception {
        TensorBoardOutput tb = new TensorBoardOutput(folder, g.settings);
        System.out.println("config: " + g.config());
        System.out.println("device: " + DeviceChoice.describe(g.settings.device()));
        int n = g.all.size();
        long foldSteps = 0;
        for (int f = 0; f < g.folds; f++) {
            int rows = n - (n - f + g.folds - 1) / g.folds;                      // the training folds' rows
            foldSteps += (long) g.settings.epochs() * ((rows + g.settings.batchSize() - 1) / g.settings.batchSize());
        }
        Progress progress = new Progress(System.out, foldSteps * g.lambdas.length * g.labels.size() * g.seeds.length,
                false);
        List<TrainingPage.Run> pages = new ArrayList<>();
        SweepReport report = new SweepReport(g);
        folder.begin();
        for (SweepGrid.Cell c : g.cells()) {
            boolean first = c.fold() == 0 && c.seed() == 0;
            String name = (g.labels.size() > 1 ? g.labels.get(c.run()) + " " : "")
                    + String.format("%s=%.3g", g.penalty, g.lambdas[c.lambda()]);
            int point = c.run() * g.lambdas.length + c.lambda();
            SweepGrid.Watcher watcher = (cell, model, opt, exp) -> {
                TensorBoardRun events = tb.open(TensorBoardOutput.runFolder(point + 1, name) + "/fold" + (c.fold() + 1)
                        + (g.seeds.length > 1 ? "_seed" + g.seeds[c.seed()] : ""), opt, model,
                        exp.loss.classification() ? "accuracy" : "r2", exp.settings.toMap());
                if (c.index() == 0) RunOutput.optimizer(System.out, "optimizer", opt);
                TrainingPage.Sampler weights = first ? new TrainingPage.Sampler(model) : null;
                TrainListener all = TensorBoardOutput.all(progress.run(g.describe(c)), events, weights);
                return new SweepGrid.Watch() {
                    @Override public TrainListener listener() { return all; }

                    @Override public void trained(TrainResult r) {
                        if (first) pages.add(new TrainingPage.Run(name + " (fold 1)", r.history(), weights));
                    }

                    @Override public void close() throws IOException {
                        if (events != null) events.close();
                    }
                };
            };
            report.add(g.run(c, null, watcher));
            if (report.done(c.run(), c.lambda()) && c.fold() == g.folds - 1 && c.seed() == g.seeds.length - 1) {
                progress.clear();
                System.out.println(report.line(c.run(), c.lambda()));
                report.write(folder, c.index() == g.size() - 1, Map.of());
            }
        }
        System.out.println(report.bestLine());
        Path plot = report.plot(folder);
        int[] best = report.best();
        String bestText = (g.labels.size() > 1 ? g.labels.get(best[0]) + " " : "")
                + String.format("%.3g", g.lambdas[best[1]]);
        TrainingPage.write(folder.file("sweep.html"), g.folds + "-fold CV over " + g.penalty + " on "
                + RunOutput.dataName(g.settings) + ": training of fold 1 at each " + g.penalty + " (best " + bestText
                + ")", SweepCommand.metricName(g.all), pages, SweepCommand.slider(g));
        folder.finish();
        System.out.println("page: " + out.resolve("sweep.html") + " (interactive: a slider over " + g.penalty + ")");
        System.out.println("plot: " + (plot == null ? "not drawn (" + Plots.unavailableReason() + ")" : plot));
        if (tb.root() != null) System.out.println("tensorboard: tensorboard --logdir " + tb.root());
        return 0;
    }
}
