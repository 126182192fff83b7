package io.ndopt.spark;

import io.ndopt.internal.cli.Main;
import io.ndopt.internal.config.ConfigException;
import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ndopt sweep} on a Spark cluster:
 * {@code spark-submit --master URL --class io.ndopt.spark.SweepJob ndopt-cli.jar SWEEP-ARGUMENTS --out DIR}.
 * The arguments are the sweep command's, checked on the driver before Spark starts (a usage error exits 2, as the
 * CLI); then one Spark task per grid cell (run, λ, fold, seed) trains that cell through the same function as the
 * local sweep ({@link SparkGrid}), and the driver writes DIR (sweep.json, validation_curve.png, run.json) through
 * the same run-folder code, so sweep.json holds the local sweep's numbers bit for bit. DIR is on the driver's
 * file system; the data ({@code --data}) must be readable by every executor at the same path, or shipped with
 * {@code spark-submit --files} (see {@link SparkGrid}).
 */
public final class SweepJob {
    private SweepJob() {}

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) System.exit(code);
    }

    /** Runs the job in a Spark context of its own (started only once the arguments are valid) and stops it. */
    public static int run(String... args) {
        SparkGrid grid = new SparkGrid(Arrays.asList(args), SweepJob::ownContext);
        try {
            return Main.sweep(grid, args);
        } finally {
            grid.stop();
        }
    }

    /** A context of spark-submit's settings; no master (not started by spark-submit) is a usage error. */
    static JavaSparkContext ownContext() {
        SparkConf conf = new SparkConf().setAppName("ndopt");
        if (!conf.contains("spark.master")) {
            throw new ConfigException("no Spark master: start the job with spark-submit --master URL (local[N], "
                    + "spark://HOST:PORT, k8s://..., yarn) --class io.ndopt.spark.SweepJob or PathJob");
        }
        return new JavaSparkContext(conf);
    }

    /** Runs the job in {@code sc} (tests share one context), which stays open. */
    public static int run(JavaSparkContext sc, String... args) {
        return Main.sweep(new SparkGrid(Arrays.asList(args), () -> sc), args);
    }
}
