package io.ndopt.internal.demo;

import io.ndopt.data.Dataset;
import io.ndopt.device.Device;
import io.ndopt.data.Standardizer;
import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Init;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.internal.plot.Plots;
import io.ndopt.train.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Choosing λ: k-fold cross-validation of an L2-penalized degree-15 polynomial (Legendre features,
 * 40 noisy samples of sin(πx)) over a log grid of λ. Each fold walks the grid from the largest λ
 * down, warm-starting from the previous solution. The validation curve is U-shaped (small λ
 * overfits, large λ underfits) and λ is picked by validation error, never training error. Fields:
 * {@code lambdas, val_mse_mean, train_mse_mean, best_lambda} (and {@code val_mse_std}, {@code folds}).
 * Plot: validation_curve.png.
 */
final class LambdaCvDemo {
    static final int N = 40, DEGREE = 15, FOLDS = 5, GRID = 10, STEPS = 250;
    static final double NOISE = 0.3, LR = 0.05, LAMBDA_MIN = 1e-4, LAMBDA_MAX = 3.0;

    private LambdaCvDemo() {}

    static Map<String, Object> run(Path dir, long seed, Device device) throws IOException {
        DataType dt = DataType.DOUBLE;
        Dataset all = Synthetic.polynomial(N, DEGREE, NOISE, x -> Math.sin(Math.PI * x), Synthetic.Basis.LEGENDRE,
                seed, dt).data();
        double[] lambdas = new double[GRID];
        for (int k = 0; k < GRID; k++) {
            lambdas[k] = LAMBDA_MAX * Math.pow(LAMBDA_MIN / LAMBDA_MAX, (double) k / (GRID - 1));
        }
        double[][] val = new double[FOLDS][GRID], train = new double[FOLDS][GRID];
        int[] perm = Dataset.permutation(N, seed);
        for (int f = 0; f < FOLDS; f++) {
            final int fold = f;   // fold f validates on every FOLDS-th row of the shuffled order
            int[] valIdx = IntStream.range(0, N).filter(i -> i % FOLDS == fold).map(i -> perm[i]).toArray();
            int[] trIdx = IntStream.range(0, N).filter(i -> i % FOLDS != fold).map(i -> perm[i]).toArray();
            Dataset tr0 = all.rows(trIdx), va0 = all.rows(valIdx);
            Standardizer std = Standardizer.fit(tr0.x());                // fitted on the training folds only
            Dataset tr = std.apply(tr0), va = std.apply(va0);
            Sequential model = new Sequential(List.of(new Dense("poly", DEGREE, 1, Activation.IDENTITY,
                    Init.XAVIER_UNIFORM, dt, seed + f)));
            for (int k = 0; k < GRID; k++) {
                // warm start: the same model for every lambda of a fold
                FullBatch.fit(model, Loss.MSE, Optimizer.adam(LR).weightDecay(lambdas[k]), device, tr, STEPS);
                train[f][k] = Metrics.evaluate(model, tr, Loss.MSE).loss();
                val[f][k] = Metrics.evaluate(model, va, Loss.MSE).loss();
            }
        }
        double[] valMean = mean(val), trainMean = mean(train), valStd = new double[GRID];
        for (int k = 0; k < GRID; k++) {
            double s = 0;
            for (int f = 0; f < FOLDS; f++) s += Math.pow(val[f][k] - valMean[k], 2);
            valStd[k] = Math.sqrt(s / (FOLDS - 1));
        }
        int best = 0;
        for (int k = 1; k < GRID; k++) if (valMean[k] < valMean[best]) best = k;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lambdas", lambdas);
        out.put("val_mse_mean", valMean);
        out.put("val_mse_std", valStd);
        out.put("train_mse_mean", trainMean);
        out.put("best_lambda", lambdas[best]);
        out.put("folds", FOLDS);
        out.put("n", N);
        out.put("penalty", "l2 (coupled weight decay), Adam lr " + LR + ", " + STEPS
                + " warm-started steps per lambda");
        Plots.lines(dir.resolve("validation_curve.png"), Plots.Axes.of(FOLDS + "-fold cross-validation: best lambda = "
                        + String.format("%.3g", lambdas[best]), "lambda", "MSE").withLogX().withLogY(),
                List.of(new Plots.Series("validation (mean over folds)", lambdas, valMean),
                        new Plots.Series("training", lambdas, trainMean)));
        out.put("plots", List.of("validation_curve.png"));
        return out;
    }

    private static double[] mean(double[][] m) {
        double[] out = new double[m[0].length];
        for (double[] row : m) for (int k = 0; k < out.length; k++) out[k] += row[k] / m.length;
        return out;
    }
}
