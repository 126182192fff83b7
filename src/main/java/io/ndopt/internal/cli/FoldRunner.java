package io.ndopt.internal.cli;

import io.ndopt.glm.Design;

/**
 * Runs the cross-validation folds of {@code path --cv} somewhere other than this process's threads (the Spark job,
 * io.ndopt.spark.PathJob); the path command fits the full path and writes everything as it does itself. Each fold
 * is {@link #fold}, so the numbers are the same.
 */
public interface FoldRunner {
    /** Called once the arguments are checked, before the output folder is touched (Spark: the context starts). */
    default void start() {}

    /** Every fold's MSE row over {@code alphas} (descending), in fold order: row f is {@code fold(args, alphas, f)}. */
    double[][] run(int k, double[] alphas) throws Exception;

    /**
     * One fold of {@code path}'s arguments (without the word path): the data loaded and split as the command does,
     * the path fitted without fold {@code fold} and scored on it.
     */
    static double[] fold(String[] args, double[] alphas, int fold) {
        PathCommand cmd = PathCommand.parse(args);
        Design train = cmd.split()[0];
        return cmd.fold(train, alphas, fold);
    }
}
