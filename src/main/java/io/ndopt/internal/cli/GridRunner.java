package io.ndopt.internal.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the cells of a sweep's grid somewhere other than the local loop (the Spark job); the sweep command writes
 * the results as it writes its own. Every cell goes through {@link SweepGrid#run}, so the numbers are the same.
 */
public interface GridRunner {
    /** Called once the arguments are checked, before the output folder is touched (Spark: the context starts). */
    default void start() {}

    /** Trains every cell of {@code cells}, handing each result to {@code done} on the caller's thread, in any order. */
    void run(SweepGrid grid, List<SweepGrid.Cell> cells, Consumer<SweepGrid.Result> done) throws Exception;

    /** Keys this runner adds at the end of sweep.json (e.g. the Spark application). */
    default Map<String, Object> describe() { return Map.of(); }
}
