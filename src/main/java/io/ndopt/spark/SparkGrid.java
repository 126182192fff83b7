package io.ndopt.spark;

import io.ndopt.internal.cli.GridRunner;
import io.ndopt.internal.cli.SweepGrid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A sweep's cells as Spark tasks: one job, one partition and so one task per cell, each task
 * {@link SweepTask#run} (the cell through {@link SweepGrid#run}, as the local sweep). The results are collected on
 * the driver and handed back in cell order. The job's description (Spark UI) names the grid; the driver's log gets
 * one line per finished or failed task ({@link TaskLog}). A failed task is retried by Spark
 * ({@code spark.task.maxFailures}) and gives the same numbers: a cell depends on the arguments alone.
 */
final class SparkGrid implements GridRunner {
    private final ArrayList<String> args;
    private final Supplier<JavaSparkContext> context;
    private JavaSparkContext sc;
    private final Map<String, Object> described = new LinkedHashMap<>();

    /** @param context gives the context when the grid runs (after the arguments are checked) */
    SparkGrid(List<String> args, Supplier<JavaSparkContext> context) {
        this.args = new ArrayList<>(args);
        this.context = context;
    }

    @Override public void start() {
        if (sc == null) sc = context.get();
    }

    @Override public void run(SweepGrid grid, List<SweepGrid.Cell> cells, Consumer<SweepGrid.Result> done)
            throws InterruptedException {
        start();
        String what = "ndopt sweep: " + cells.size() + " tasks = " + grid.runs() + " runs × " + grid.lambdaCount()
                + " lambdas × " + grid.folds() + " folds × " + grid.seedCount() + " seeds";
        System.out.println(what + " on Spark " + sc.version() + ", master " + sc.master() + ", application "
                + sc.sc().applicationId() + (sc.sc().uiWebUrl().isDefined() ? ", UI " + sc.sc().uiWebUrl().get() : ""));
        sc.setJobDescription(what);
        TaskLog log = new TaskLog(grid, cells, System.out);
        sc.sc().addSparkListener(log);
        List<SweepGrid.Result> results;
        try {
            String sha = grid.dataSha256();
            ArrayList<String> a = args;
            results = sc.parallelize(cells, cells.size()).map(c -> SweepTask.run(a, sha, c)).collect();
            log.awaitDone(cells.size(), 10_000);
        } catch (Exception e) {                      // Spark's SparkException is thrown undeclared (Scala)
            throw JobFailure.of(e);
        } finally {
            sc.sc().removeSparkListener(log);
            sc.setJobDescription(null);
        }
        results.forEach(done);
        described.put("master", sc.master());
        described.put("application_id", sc.sc().applicationId());
        described.put("spark_version", sc.version());
        described.put("tasks", cells.size());
        described.put("failed_task_attempts", log.failures());
    }

    @Override public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spark", new LinkedHashMap<>(described));
        return m;
    }

    /** Stops the context this grid got (SweepJob's own; never a test's shared one). */
    void stop() {
        if (sc != null) sc.stop();
        sc = null;
    }
}
