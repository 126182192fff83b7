package io.ndopt.spark;

import io.ndopt.internal.cli.FoldRunner;
import io.ndopt.internal.cli.Main;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ndopt path --cv K} with its folds as Spark tasks:
 * {@code spark-submit --master URL --class io.ndopt.spark.PathJob ndopt-cli.jar PATH-ARGUMENTS --out DIR}. The driver
 * checks the arguments, fits the path on all the training data and writes DIR; each of the K tasks fits the path
 * without its fold and scores it ({@link FoldRunner#fold}, the function the local command's threads run), so
 * path.json holds the local numbers bit for bit. Without {@code --cv} nothing runs on Spark. The data as for
 * {@link SweepJob}: the same path on every executor, or shipped with {@code --files}.
 */
public final class PathJob {
    private PathJob() {}

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) System.exit(code);
    }

    /** Runs the job in a Spark context of its own (started once the arguments are valid) and stops it. */
    public static int run(String... args) {
        Folds folds = new Folds(Arrays.asList(args), SweepJob::ownContext);
        try {
            return Main.path(folds, args);
        } finally {
            folds.stop();
        }
    }

    /** Runs the job in {@code sc} (tests share one context), which stays open. */
    public static int run(JavaSparkContext sc, String... args) {
        return Main.path(new Folds(Arrays.asList(args), () -> sc), args);
    }

    /** One task per fold, each {@link FoldRunner#fold} on the executor; the rows back in fold order. */
    private static final class Folds implements FoldRunner {
        private final ArrayList<String> args;
        private final Supplier<JavaSparkContext> context;
        private JavaSparkContext sc;

        Folds(List<String> args, Supplier<JavaSparkContext> context) {
            this.args = new ArrayList<>(args);
            this.context = context;
        }

        @Override public void start() {
            if (sc == null) sc = context.get();
        }

        @Override public double[][] run(int k, double[] alphas) {
            start();
            String what = "ndopt path: " + k + " cross-validation folds × " + alphas.length + " lambdas";
            System.out.println(what + " on Spark " + sc.version() + ", master " + sc.master());
            sc.setJobDescription(what);
            ArrayList<String> a = args;
            List<double[]> rows;
            try {
                rows = sc.parallelize(IntStream.range(0, k).boxed().toList(), k)
                        .map(f -> FoldRunner.fold(SweepTask.local(a).toArray(String[]::new), alphas, f)).collect();
            } catch (Exception e) {                  // Spark's SparkException is thrown undeclared (Scala)
                throw JobFailure.of(e);
            } finally {
                sc.setJobDescription(null);
            }
            return rows.toArray(double[][]::new);
        }

        void stop() {
            if (sc != null) sc.stop();
            sc = null;
        }
    }
}
