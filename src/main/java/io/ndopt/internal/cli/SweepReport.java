package io.ndopt.internal.cli;

import io.ndopt.internal.io.Json;
import io.ndopt.internal.plot.Plots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * sweep.json, the summary lines and validation_curve.png of a grid from its cells' results, whoever computed them
 * (the local loop or Spark tasks): the same results give the same file. A (run, λ) point is reported once all its
 * folds × seeds cells are in; its mean and standard deviation run over those cells in index order.
 */
final class SweepReport {
    private final SweepGrid grid;
    private final SweepGrid.Result[] results;

    SweepReport(SweepGrid grid) {
        this.grid = grid;
        this.results = new SweepGrid.Result[grid.size()];
    }

    void add(SweepGrid.Result r) { results[r.index()] = r; }

    private int perPoint() { return grid.folds * grid.seeds.length; }

    /** Whether every cell of (run, λ) is in. */
    boolean done(int run, int lambda) {
        int first = (run * grid.lambdas.length + lambda) * perPoint();
        for (int i = first; i < first + perPoint(); i++) if (results[i] == null) return false;
        return true;
    }

    /** The validation (or training) losses of (run, λ)'s cells, in index order. */
    private double[] losses(int run, int lambda, boolean val) {
        int first = (run * grid.lambdas.length + lambda) * perPoint();
        double[] v = new double[perPoint()];
        for (int i = 0; i < v.length; i++) v[i] = val ? results[first + i].valLoss() : results[first + i].trainLoss();
        return v;
    }

    /** The finished λ indexes of a run (a prefix in the local sweep; all of them at the end). */
    private int[] finished(int run) {
        return java.util.stream.IntStream.range(0, grid.lambdas.length).filter(k -> done(run, k)).toArray();
    }

    String line(int run, int lambda) {
        double[] val = losses(run, lambda, true);
        return (grid.labels.size() > 1 ? grid.labels.get(run) + "  " : "") + String.format(
                "%s = %-10.4g val_loss %.5f ± %.5f   train_loss %.5f", grid.penalty, grid.lambdas[lambda], mean(val),
                std(val), mean(losses(run, lambda, false)));
    }

    /** The finished (run, λ) with the lowest mean validation loss, {run, λ}; NaN (diverged) never wins; null if none. */
    int[] best() {
        int[] best = null;
        for (int r = 0; r < grid.labels.size(); r++) {
            for (int k : finished(r)) {
                double m = mean(losses(r, k, true));
                if (best == null || m < mean(losses(best[0], best[1], true))
                        || Double.isNaN(mean(losses(best[0], best[1], true)))) {
                    best = new int[] {r, k};
                }
            }
        }
        return best;
    }

    String bestLine() {
        int[] b = best();
        return String.format("best %s%s = %.4g (mean validation loss %.5f over %d folds%s)",
                grid.labels.size() > 1 ? grid.labels.get(b[0]) + " " : "", grid.penalty, grid.lambdas[b[1]],
                mean(losses(b[0], b[1], true)), grid.folds,
                grid.seeds.length > 1 ? " × " + grid.seeds.length + " seeds" : "");
    }

    /** The document of sweep.json; {@code extra} (e.g. the Spark application) goes last. */
    Map<String, Object> table(boolean complete, Map<String, Object> extra) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", grid.config());
        RunOutput.putDevice(doc, grid.settings.device());
        doc.put("penalty", grid.penalty);
        doc.put("folds", grid.folds);
        doc.put("complete", complete);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int r = 0; r < grid.labels.size(); r++) runs.add(run(r));
        int[] best = best();
        if (grid.labels.size() == 1) {
            doc.putAll(runs.get(0));
            doc.remove("run");
            doc.remove("optimizer");
        } else {
            doc.put("lambdas", grid.lambdas);
            if (best != null) doc.put("best_run", grid.labels.get(best[0]));
            if (best != null) doc.put("best_lambda", grid.lambdas[best[1]]);
        }
        doc.put("seeds", grid.seeds);
        doc.put("runs", runs);
        List<Map<String, Object>> cells = new ArrayList<>();
        for (SweepGrid.Cell c : grid.cells()) {
            SweepGrid.Result res = results[c.index()];
            if (res == null) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", grid.labels.get(c.run()));
            m.put("lambda", grid.lambdas[c.lambda()]);
            m.put("fold", c.fold() + 1);
            m.put("seed", grid.seeds[c.seed()]);
            m.put("train_loss", res.trainLoss());
            m.put("val_loss", res.valLoss());
            cells.add(m);
        }
        doc.put("cells", cells);
        doc.putAll(extra);
        return doc;
    }

    private Map<String, Object> run(int r) {
        int[] ks = finished(r);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", grid.labels.get(r));
        m.put("optimizer", grid.bases.get(r).toMap());
        m.put("lambdas", Arrays.stream(ks).mapToDouble(k -> grid.lambdas[k]).toArray());
        m.put("val_loss_mean", Arrays.stream(ks).mapToDouble(k -> mean(losses(r, k, true))).toArray());
        m.put("val_loss_std", Arrays.stream(ks).mapToDouble(k -> std(losses(r, k, true))).toArray());
        m.put("train_loss_mean", Arrays.stream(ks).mapToDouble(k -> mean(losses(r, k, false))).toArray());
        int best = -1;
        for (int k : ks) {
            if (best < 0 || mean(losses(r, k, true)) < mean(losses(r, best, true))
                    || Double.isNaN(mean(losses(r, best, true)))) {
                best = k;
            }
        }
        if (best >= 0) m.put("best_lambda", grid.lambdas[best]);
        return m;
    }

    void write(RunFolder folder, boolean complete, Map<String, Object> extra) throws IOException {
        Json.write(folder.file("sweep.json"), table(complete, extra));
    }

    /** validation_curve.png: mean validation (and, for one run, training) loss over λ; null if not drawn. */
    Path plot(RunFolder folder) throws IOException {
        int[] b = best();
        String chosen = String.format("%.3g", grid.lambdas[b[1]]);
        List<Plots.Series> series = new ArrayList<>();
        for (int r = 0; r < grid.labels.size(); r++) {
            int run = r;
            double[] x = Arrays.stream(grid.lambdas).map(v -> Math.max(v, 1e-12)).toArray();
            double[] vm = java.util.stream.IntStream.range(0, x.length).mapToDouble(k -> mean(losses(run, k, true)))
                    .toArray();
            series.add(new Plots.Series(grid.labels.size() == 1 ? "validation" : grid.labels.get(r), x, vm));
            if (grid.labels.size() == 1) {
                series.add(new Plots.Series("training", x, java.util.stream.IntStream.range(0, x.length)
                        .mapToDouble(k -> mean(losses(run, k, false))).toArray()));
            }
        }
        return Plots.lines(folder.file("validation_curve.png"), Plots.Axes.of(grid.folds + "-fold CV over "
                + grid.penalty + ": best " + (grid.labels.size() > 1 ? grid.labels.get(b[0]) + " " : "") + chosen,
                grid.penalty, "loss").withLogX().withMark(Math.max(grid.lambdas[b[1]], 1e-12), "chosen "
                        + grid.penalty + " = " + chosen), series);
    }

    static double mean(double[] v) { return Arrays.stream(v).average().orElse(Double.NaN); }

    static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
    }
}
