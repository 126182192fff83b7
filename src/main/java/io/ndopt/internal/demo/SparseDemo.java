package io.ndopt.internal.demo;

import io.ndopt.data.Dataset;
import io.ndopt.device.Device;
import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Init;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.internal.plot.Plots;
import io.ndopt.internal.plot.TrainingPage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Feature selection: n = 100 samples, p = 200 features, s = 10 true non-zeros (±U(1, 2)), noise
 * σ = 0.5. Proximal L1 (ISTA: SGD with lr = 1/L and the soft threshold) at the theoretical level
 * {@code α = 2σ·sqrt(2·ln p / n)} (scikit-learn scaling; ndopt's {@code l1 = 2α}) recovers the support
 * with exact zeros; L2 at the same strength
 * leaves none. A warm-started path over a log grid of λ (from just above λ_max, where every
 * weight is exactly zero, down 100×) gives the coefficient paths of both. Fields: {@code n, p, s, support_precision,
 * support_recall, zeros_l1, zeros_l2, path} ({@code lambda, penalty, coef} per point). Plots:
 * path_l1.png, path_l2.png, weights_hist.png; {@code page}: sparse.html, the two fits played step by step (every
 * weight as a bar, snapping to a dot at exact zero under L1).
 */
final class SparseDemo {
    static final int N = 100, P = 200, S = 10, STEPS = 1500, PATH_POINTS = 12, PATH_STEPS = 100;
    static final double NOISE = 0.5;
    /**
     * The interactive page's frames: after each of the first {@value #PAGE_FIRST} steps (where ISTA does most of its
     * work: the weights shrink and snap to 0), then every {@value #PAGE_EVERY} steps.
     */
    static final int PAGE_FIRST = 30, PAGE_EVERY = 50;
    static final String PAGE = "sparse.html";

    private SparseDemo() {}

    static Map<String, Object> run(Path dir, long seed, Device device) throws IOException {
        DataType dt = DataType.DOUBLE;
        Synthetic.Sparse data = Synthetic.sparseRegression(N, P, S, NOISE, seed, dt);
        Dataset d = data.data();
        double lr = 1 / lipschitz(d.x());
        // lasso theory: α = 2σ·sqrt(2 ln p / n) in scikit-learn's scaling keeps false positives out w.h.p.;
        // ndopt's MSE has no ½, so l1 = 2α
        double l1 = 4 * NOISE * Math.sqrt(2 * Math.log(P) / N);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", N);
        out.put("p", P);
        out.put("s", S);
        out.put("lambda", l1);
        out.put("lr", lr);
        Sequential lasso = linear(seed, dt), ridge = linear(seed, dt);
        PageRun l1Run = new PageRun("L1 (prox) l1=" + String.format("%.3g", l1), lasso, Loss.MSE, d, null, lr);
        PageRun l2Run = new PageRun("L2 l2=" + String.format("%.3g", l1), ridge, Loss.MSE, d, null, lr);
        FullBatch.fit(lasso, Loss.MSE, Optimizer.sgd(lr).l1(l1), device, d, STEPS, 1, pageFrames(l1Run));
        FullBatch.fit(ridge, Loss.MSE, Optimizer.sgd(lr).l2(l1), device, d, STEPS, 1, pageFrames(l2Run));
        double[] wl1 = coef(lasso), wl2 = coef(ridge);
        int tp = 0, selected = 0;
        for (int j = 0; j < P; j++) {
            if (wl1[j] != 0) {
                selected++;
                if (data.coef()[j] != 0) tp++;
            }
        }
        out.put("support_precision", selected == 0 ? 0.0 : (double) tp / selected);
        out.put("support_recall", (double) tp / S);
        out.put("zeros_l1", Arrays.stream(wl1).filter(v -> v == 0.0).count());
        out.put("zeros_l2", Arrays.stream(wl2).filter(v -> v == 0.0).count());
        out.put("true_support", data.support());
        out.put("selected", IntStream.range(0, P).filter(j -> wl1[j] != 0).toArray());
        out.put("coef_true", data.coef());
        out.put("coef_l1", wl1);
        out.put("coef_l2", wl2);
        out.put("path", path(d, lr, seed, dt, dir, data.support(), device));
        Plots.histogram(dir.resolve("weights_hist.png"),
                "Weights after training: L1 gives exact zeros, L2 none", "weight",
                List.of("L1 (prox)", "L2"), List.of(wl1, wl2), 30);
        out.put("plots", List.of("path_l1.png", "path_l2.png", "weights_hist.png"));
        TrainingPage.write(dir.resolve(PAGE), "Sparse regression: every weight under L1 (prox) and L2; frames: each of "
                + "the first " + PAGE_FIRST + " steps, then every " + PAGE_EVERY, "R²",
                List.of(l1Run.run(), l2Run.run()), null, TrainingPage.Unit.STEP);
        out.put("page", PAGE);
        return out;
    }

    private static List<Map<String, Object>> path(Dataset d, double lr, long seed, DataType dt, Path dir, int[] support,
            Device device) throws IOException {
        // λ_max = ‖∇ MSE at w = 0 (b fitted)‖∞ = ‖(2/n)·Xᵀ(y − ȳ)‖∞: above it the lasso solution is all zeros
        INDArray yc = d.y().sub(d.y().meanNumber());
        double lambdaMax = d.x().transpose().mmul(yc).muli(2.0 / N).amaxNumber().doubleValue();
        List<Map<String, Object>> path = new ArrayList<>();
        for (String penalty : new String[] {"l1", "l2"}) {
            Sequential model = linear(seed, dt);
            model.params().get(0).value().assign(0);
            double[] lambdas = new double[PATH_POINTS];
            double[][] coefs = new double[PATH_POINTS][];
            for (int k = 0; k < PATH_POINTS; k++) {
                // from just above λ_max
                double lambda = 1.05 * lambdaMax * Math.pow(0.01, (double) k / (PATH_POINTS - 1));
                var b = Optimizer.sgd(lr);
                // warm start: same model
                FullBatch.fit(model, Loss.MSE, penalty.equals("l1") ? b.l1(lambda) : b.l2(lambda), device, d, PATH_STEPS);
                lambdas[k] = lambda;
                coefs[k] = coef(model);
                path.add(Map.of("lambda", lambda, "penalty", penalty, "coef", coefs[k]));
            }
            List<Plots.Series> series = new ArrayList<>();
            for (int j : support) {
                double[] cj = new double[PATH_POINTS];
                for (int k = 0; k < PATH_POINTS; k++) cj[k] = coefs[k][j];
                series.add(new Plots.Series("w" + j, lambdas, cj));
            }
            Plots.lines(dir.resolve("path_" + penalty + ".png"), Plots.Axes.of(
                    (penalty.equals("l1") ? "L1 (proximal)" : "L2") + " coefficient path, true-support features",
                    "lambda", "coefficient").withLogX(), series);
        }
        return path;
    }

    private static IntConsumer pageFrames(PageRun run) {
        IntConsumer frame = run.frame();
        return step -> {
            if (step <= PAGE_FIRST || step % PAGE_EVERY == 0) frame.accept(step);
        };
    }

    private static Sequential linear(long seed, DataType dt) {
        return new Sequential(List.of(new Dense("linear", P, 1, Activation.IDENTITY, Init.XAVIER_UNIFORM, dt, seed)));
    }

    private static double[] coef(Sequential m) { return m.params().get(0).value().ravel().toDoubleVector(); }

    /** L of the MSE gradient: 2·λ_max(XᵀX)/n, by power iteration (plus the bias direction, bounded by 2). */
    static double lipschitz(INDArray x) {
        INDArray v = Nd4j.ones(x.dataType(), x.columns(), 1);
        double ev = 0;
        for (int i = 0; i < 100; i++) {
            INDArray u = x.transpose().mmul(x.mmul(v));
            ev = u.norm2Number().doubleValue() / v.norm2Number().doubleValue();
            v = u.divi(u.norm2Number());
        }
        return Math.max(2 * ev / x.rows(), 2.0) * 1.01;
    }
}
