package io.ndopt.internal.cli;

import io.ndopt.glm.CoefPath;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.glm.CvResult;
import io.ndopt.glm.Datasets;
import io.ndopt.glm.Design;
import io.ndopt.glm.Folds;
import io.ndopt.glm.Glm;
import io.ndopt.glm.Grid;
import io.ndopt.glm.Model;
import io.ndopt.glm.UnusableFeatureException;
import io.ndopt.internal.plot.PathPlots;
import io.ndopt.glm.PathSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Lasso / elastic-net / ridge regularization path on a CSV file or a bundled dataset, with optional CV and test split.
 */
@Command(name = "path", mixinStandardHelpOptions = true, description = {
        "Regularization path of lasso, elasticnet or ridge by coordinate descent / closed form, in scikit-learn's "
                + "alpha:",
        "lasso/elasticnet (1/(2n))||y - Xw - b||^2 + alpha*(rho*||w||_1 + (1-rho)/2*||w||^2), ridge ||y - Xw - b||^2 "
                + "+ alpha*||w||^2.",
        "Writes DIR/path.json, DIR/coef_path.png, DIR/r2.png, with --cv DIR/cv.png, and DIR/run.json (written last)."})
final class PathCommand implements Callable<Integer> {
    @Option(names = "--data", description = "Data file: CSV with a header row, .npy/.npz (NumPy) or .parquet.") Path data;
    @Option(names = "--dataset", description = "Bundled dataset instead of --data: diabetes.") String dataset;
    @Option(names = "--target", description =
            "Target column (required with --data; 'target' for --dataset diabetes).") String target;
    @Option(names = "--weights", description = "Column of sample weights (optional; not a feature).") String weights;
    @Option(names = "--model", required = true, description = "lasso, elasticnet or ridge.") String model;
    @Option(names = "--l1-ratio", description =
            "Elastic-net mixing rho in (0, 1] (elasticnet only; default 0.5).") Double l1Ratio;
    @Option(names = "--lambdas", split = ",", description = "Explicit alphas, comma-separated (> 0).") double[] lambdas;
    @Option(names = "--grid", description =
            "Log-spaced alphas MIN:MAX:COUNT (default: 100 from lambda_max to 1e-3*lambda_max).") String grid;
    @Option(names = "--cv", description =
            "k-fold cross-validation over the path (2 <= k <= training rows / 2: each fold needs 2 rows).") Integer cv;
    @Option(names = "--test-split", description =
            "Fraction of rows held out as a test set, in (0, 1).") Double testSplit;
    @Option(names = "--no-standardize", description =
            "Penalize coefficients of the raw features (default: standardized, as glmnet).") boolean noStandardize;
    @Option(names = "--non-negative", description = "Constrain every coefficient to be >= 0.") boolean nonNegative;
    @Option(names = "--tol", defaultValue = "1e-4",
            description = "Duality-gap tolerance, scikit-learn's convention (default ${DEFAULT-VALUE}).") double tol;
    @Option(names = "--max-sweeps", defaultValue = "10000",
            description = "Coordinate-descent sweeps per lambda (default ${DEFAULT-VALUE}).") int maxSweeps;
    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the test split and the CV folds (default ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--out", required = true,
            description = "Output folder (must be empty or new, unless --overwrite).") Path out;
    @Option(names = "--overwrite", description = "Delete the previous run's files in --out first.") boolean overwrite;

    /** Where the CV folds run: null is here ({@link Glm#pathWithCv}, folds in parallel threads). */
    FoldRunner folds;

    @Override public Integer call() throws Exception {
        PathSpec spec = spec();
        double[] alphas = alphas();
        if (testSplit != null && !(testSplit > 0 && testSplit < 1)) {
            throw new ConfigException("--test-split must be in (0, 1), got " + testSplit);
        }
        if (cv != null && cv < 2) throw new ConfigException("--cv must be >= 2, got " + cv);
        Design[] parts = split();
        if (folds != null) folds.start();
        try (RunFolder folder = RunFolder.prepare(out, "path", overwrite, null, new Inputs().add("--data", data),
                System.out)) {
            folder.begin();
            run(spec, alphas, parts[0], parts[1], folder);
            folder.finish();
        }
        return 0;
    }

    /** The command of {@code path}'s arguments (without the word path), parsed, not run. */
    static PathCommand parse(String... args) {
        return (PathCommand) Main.commandLine().parseArgs(Main.withCommand("path", args)).subcommand().commandSpec()
                .userObject();
    }

    /** The training and test data ({@code null} without --test-split), checked against --cv. */
    Design[] split() {
        Design all = load();
        Design train = all, test = null;
        if (testSplit != null) {
            int[] perm = Folds.permutation(all.n(), seed);
            int nTest = (int) Math.round(testSplit * all.n());
            if (nTest < 1 || all.n() - nTest < 2) {
                throw new ConfigException("--test-split " + testSplit + " leaves " + nTest + " test and "
                        + (all.n() - nTest) + " training rows of " + all.n());
            }
            test = all.rows(Arrays.copyOfRange(perm, 0, nTest));
            train = all.rows(Arrays.copyOfRange(perm, nTest, all.n()));
        }
        if (cv != null && cv > train.n() / 2) {            // every fold, held out in turn, needs 2 rows
            throw new ConfigException("--cv " + cv + " is too many folds for " + train.n() + " training rows: each "
                    + "fold needs at least 2 rows, so " + (train.n() < 4 ? "cross-validation needs at least 4 rows"
                            : "--cv must be between 2 and " + train.n() / 2));
        }
        return new Design[] {train, test};
    }

    /** The MSE row of one CV fold over {@code alphas}: the task of {@link FoldRunner}, here or on Spark. */
    double[] fold(Design train, double[] alphas, int fold) {
        return Glm.foldMse(train, spec(), alphas, Folds.shuffled(train.n(), cv, seed), fold);
    }

    private void run(PathSpec spec, double[] alphas, Design train, Design test, RunFolder folder) throws Exception {
        CoefPath path;
        CvResult cvr = null;
        Progress progress = new Progress(System.out, 0, false).run(cv == null ? "path" : "path + " + cv + "-fold CV");
        try {
            if (cv != null && folds != null) {               // the same path and folds, each fold a task
                path = alphas == null ? Glm.path(train, spec, progress) : Glm.path(train, spec, alphas, progress);
                cvr = Glm.cvResult(path.lambdas(), folds.run(cv, path.lambdas()));
            } else if (cv != null) {
                Glm.CvFit f = Glm.pathWithCv(train, spec, alphas, Folds.shuffled(train.n(), cv, seed), progress);
                path = f.path();
                cvr = f.cv();
            } else {
                path = alphas == null ? Glm.path(train, spec, progress) : Glm.path(train, spec, alphas, progress);
            }
        } catch (UnusableFeatureException e) {
            throw new ConfigException((data != null ? data : "--dataset " + dataset) + ": " + e.getMessage());
        } finally {
            progress.clear();
        }
        Map<String, Object> doc = PathReport.toMap(path, train, test, cvr, config());
        PathReport.write(folder.file("path.json"), doc);
        PathPlots.coefficients(folder.file("coef_path.png"), path, cvr);
        PathPlots.r2(folder.file("r2.png"), path.lambdas(), (double[]) doc.get("train_r2"),
                test == null ? null : (double[]) doc.get("test_r2"), cvr);
        if (cvr != null) PathPlots.cv(folder.file("cv.png"), cvr);
        summary(path, cvr, (double[]) doc.get("train_r2"), test == null ? null : (double[]) doc.get("test_r2"));
    }

    PathSpec spec() {
        Model m;
        try {
            m = Model.parse(model);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--model: " + e.getMessage());
        }
        if (l1Ratio != null && m != Model.ELASTIC_NET) {
            throw new ConfigException("--l1-ratio applies to --model elasticnet only (lasso is 1, ridge is "
                    + "0)");
        }
        if (l1Ratio != null && !(l1Ratio > 0 && l1Ratio <= 1)) {
            throw new ConfigException("--l1-ratio must be in (0, 1], got " + l1Ratio);
        }
        if (!(tol > 0)) throw new ConfigException("--tol must be > 0, got " + tol);
        if (maxSweeps < 1) throw new ConfigException("--max-sweeps must be >= 1, got " + maxSweeps);
        PathSpec base = switch (m) {
            case LASSO -> PathSpec.lasso();
            case ELASTIC_NET -> PathSpec.elasticNet(l1Ratio == null ? 0.5 : l1Ratio);
            case RIDGE -> PathSpec.ridge();
        };
        return base.withStandardize(!noStandardize).withNonNegative(nonNegative).withTol(tol).withMaxSweeps(maxSweeps);
    }

    private double[] alphas() {
        if (lambdas != null && grid != null) throw new ConfigException("give --lambdas or --grid, not both");
        if (lambdas != null && lambdas.length == 0) throw new ConfigException("--lambdas is empty: give one value or more");
        if (lambdas != null) {
            for (double l : lambdas) {
                if (!(l > 0) || !Double.isFinite(l)) {
                    throw new ConfigException("--lambdas must be finite and > 0, got " + l);
                }
            }
            long distinct = Arrays.stream(lambdas).distinct().count();
            if (distinct != lambdas.length) throw new ConfigException("--lambdas has duplicate values");
            return lambdas;
        }
        if (grid == null) return null;
        try {
            return Grid.parse(grid);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--grid: " + e.getMessage());
        }
    }

    private Design load() {
        if ((data == null) == (dataset == null)) {
            throw new ConfigException("give exactly one of --data FILE.csv or --dataset NAME");
        }
        if (dataset != null) {
            Design d;
            try {
                d = Datasets.bundled(dataset);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--dataset: " + e.getMessage());
            }
            if (target != null && !target.equals("target")) {
                throw new ConfigException("--target of --dataset " + dataset + " is 'target', got '"
                        + target + "'");
            }
            if (weights != null) {
                throw new ConfigException("--weights needs --data (the bundled datasets have no weight "
                        + "column)");
            }
            return d;
        }
        if (target == null) throw new ConfigException("--target is required with --data");
        return Datasets.csv(data, target, weights);
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("data", data == null ? "bundled:" + dataset : data.toString());
        c.put("target", target == null ? "target" : target);
        c.put("weights", weights);
        c.put("test_split", testSplit);
        c.put("cv", cv);
        c.put("seed", seed);
        c.put("max_sweeps", maxSweeps);
        return c;
    }

    private void summary(CoefPath p, CvResult cv, double[] trainR2, double[] testR2) {
        int last = p.size() - 1, feats = p.names().size();
        System.out.printf("path: %s, %d lambdas %.4g .. %.4g, nonzeros %d -> %d of %d%n",
                p.spec().model().cliName(), p.size(),
                p.lambdas()[0], p.lambdas()[last], feats - p.zeroCount(0), feats - p.zeroCount(last), feats);
        int bad = 0;
        for (boolean c : p.converged()) if (!c) bad++;
        if (bad > 0) {
            System.out.printf("warning: %d lambdas did not reach --tol within --max-sweeps (see duality_gap in "
                    + "path.json)%n", bad);
        }
        System.out.printf("train R2 %.4f -> %.4f%s%n", trainR2[0], trainR2[last],
                testR2 == null ? "" : String.format(", test R2 %.4f -> %.4f", testR2[0], testR2[last]));
        if (cv != null) {
            System.out.printf("cv: lambda_min %.6g (mse %.6g ± %.3g, %d nonzeros), lambda_1se %.6g (mse %.6g, %d "
                    + "nonzeros)%n", cv.lambdaMin(), cv.mean()[cv.indexMin()],
                    cv.se()[cv.indexMin()], feats - p.zeroCount(cv.indexMin()), cv.lambda1se(),
                    cv.mean()[cv.index1se()], feats - p.zeroCount(cv.index1se()));
        }
        System.out.println("wrote " + out.resolve("path.json") + ", coef_path.png, r2.png"
                + (cv == null ? "" : ", cv.png") + ", run.json");
    }
}
