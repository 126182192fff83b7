package io.ndopt.spark;

import io.ndopt.internal.cli.SweepGrid;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.Success$;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The driver's log of a sweep job: a line per finished task (cell, executor, seconds, tasks done of all) and per
 * failed attempt (the reason; Spark retries it up to {@code spark.task.maxFailures}). Listener calls come on
 * Spark's listener thread.
 */
final class TaskLog extends SparkListener {
    private final SweepGrid grid;
    private final List<SweepGrid.Cell> cells;
    private final PrintStream out;
    private int done;
    private int failed;

    TaskLog(SweepGrid grid, List<SweepGrid.Cell> cells, PrintStream out) {
        this.grid = grid;
        this.cells = cells;
        this.out = out;
    }

    @Override public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        int index = end.taskInfo().index();
        String cell = index >= 0 && index < cells.size() ? grid.describe(cells.get(index)) : "task " + index;
        double seconds = end.taskInfo().duration() / 1e3;
        if (end.reason() == Success$.MODULE$) {
            done++;
            notifyAll();
            out.printf("sweep: %d/%d done: %s (executor %s, attempt %d, %.1f s)%n", done, cells.size(), cell,
                    end.taskInfo().executorId(), end.taskInfo().attemptNumber() + 1, seconds);
        } else {
            failed++;
            out.printf("sweep: attempt %d of %s failed on executor %s: %s%n", end.taskInfo().attemptNumber() + 1,
                    cell, end.taskInfo().executorId(), (end.reason() instanceof TaskFailedReason r ? r.toErrorString()
                    : end.reason().toString()).lines().findFirst().orElse(""));
        }
    }

    synchronized int failures() { return failed; }

    /**
     * Waits (at most {@code millis}) until the listener has seen {@code tasks} successes: Spark delivers listener
     * events asynchronously, so the last lines may come after the job's results.
     */
    synchronized void awaitDone(int tasks, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (done < tasks && System.currentTimeMillis() < end) wait(Math.max(1, end - System.currentTimeMillis()));
    }
}
