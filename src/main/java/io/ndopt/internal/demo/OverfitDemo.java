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
import io.ndopt.internal.plot.TrainingPage;
import io.ndopt.train.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Overfitting tamed: a degree-15 polynomial fitted to 12 noisy samples of sin(πx), once without a
 * penalty and once with L2 (coupled weight decay 0.3), same optimizer (Adam), init and steps.
 *
 * <p>The features are the Legendre polynomials P1..P15, standardized on the training points: the
 * same function space as x..x¹⁵, but conditioned well enough that gradient training reaches the
 * wiggly interpolating fit (with raw monomials gradient descent never gets there). Twelve points
 * sometimes happen to cover [−1, 1] evenly and barely show overfitting, so the experiment is
 * repeated on {@value #DRAWS} independent draws and the fields are means over them; {@code draws}
 * lists each. Fields: {@code train_mse_plain, test_mse_plain, train_mse_l2, test_mse_l2,
 * weight_norm_plain, weight_norm_l2} (test: 500 fresh samples with the same noise). Plot: fit.png
 * (first draw); {@code page}: overfit.html, both fits of the first draw played step by step (training and test
 * curves, the 15 weights as bars).
 */
final class OverfitDemo {
    static final int DEGREE = 15, N_TRAIN = 12, N_TEST = 500, STEPS = 2500, DRAWS = 5;
    static final double NOISE = 0.3, LR = 0.05, L2 = 0.3;
    /** The interactive page (first draw; validation = the test samples): a frame every {@value #PAGE_EVERY} steps. */
    static final int PAGE_EVERY = 100;
    static final String PAGE = "overfit.html";
    static final DoubleUnaryOperator TRUTH = x -> Math.sin(Math.PI * x);
    private static final String[] FIELDS = {"train_mse", "test_mse", "weight_norm"};

    private OverfitDemo() {}

    static Map<String, Object> run(Path dir, long seed, Device device) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> draws = new ArrayList<>();
        for (int d = 0; d < DRAWS; d++) {
            draws.add(draw(seed * 7919 + d, d == 0 ? dir : null, device));
        }
        for (String v : new String[] {"plain", "l2"}) {
            for (String f : FIELDS) {
                String key = f + "_" + v;
                out.put(key, draws.stream().mapToDouble(m -> (double) m.get(key)).average().orElseThrow());
            }
        }
        out.put("test_mse_ratio", (double) out.get("test_mse_plain") / (double) out.get("test_mse_l2"));
        out.put("degree", DEGREE);
        out.put("n_train", N_TRAIN);
        out.put("noise", NOISE);
        out.put("l2", L2);
        out.put("optimizer", "adam lr=" + LR + ", " + STEPS + " full-batch steps");
        out.put("basis", "legendre");
        out.put("draws", draws);
        out.put("plots", List.of("fit.png"));
        out.put("page", PAGE);
        return out;
    }

    /** {@code dir} non-null (the first draw): fit.png and the page are written there. */
    private static Map<String, Object> draw(long seed, Path dir, Device device) throws IOException {
        DataType dt = DataType.DOUBLE;
        Synthetic.Poly train = Synthetic.polynomial(N_TRAIN, DEGREE, NOISE, TRUTH, Synthetic.Basis.LEGENDRE, seed, dt);
        Synthetic.Poly test = Synthetic.polynomial(N_TEST, DEGREE, NOISE, TRUTH,
                Synthetic.Basis.LEGENDRE, seed + 1, dt);
        Standardizer std = Standardizer.fit(train.data().x());
        Dataset tr = std.apply(train.data()), te = std.apply(test.data());
        double[] grid = new double[300];
        for (int i = 0; i < grid.length; i++) grid[i] = -1 + 2.0 * i / (grid.length - 1);
        Dataset gridData = std.apply(Dataset.of(Synthetic.features(grid, DEGREE, Synthetic.Basis.LEGENDRE),
                new double[grid.length], dt));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seed", seed);
        List<Plots.Series> curves = new ArrayList<>();
        curves.add(new Plots.Series("sin(πx)", grid, Arrays.stream(grid).map(TRUTH).toArray()));
        List<TrainingPage.Run> pageRuns = new ArrayList<>();
        for (String variant : new String[] {"plain", "l2"}) {
            Sequential model = new Sequential(List.of(new Dense("poly", DEGREE, 1, Activation.IDENTITY,
                    Init.XAVIER_UNIFORM, dt, seed)));
            PageRun page = new PageRun(variant.equals("l2") ? "L2 (weight_decay " + L2 + ")" : "no penalty", model,
                    Loss.MSE, tr, te, LR);
            FullBatch.fit(model, Loss.MSE, Optimizer.adam(LR).weightDecay(variant.equals("l2") ? L2 : 0), device, tr,
                    STEPS, dir == null ? Integer.MAX_VALUE : PAGE_EVERY, page.frame());
            pageRuns.add(page.run());
            out.put("train_mse_" + variant, Metrics.evaluate(model, tr, Loss.MSE).loss());
            out.put("test_mse_" + variant, Metrics.evaluate(model, te, Loss.MSE).loss());
            out.put("weight_norm_" + variant, model.weightNorm());
            curves.add(new Plots.Series(variant.equals("l2") ? "L2 (weight_decay " + L2 + ")" : "no penalty", grid,
                    model.forward(gridData.x()).toDoubleVector()));
        }
        curves.add(Plots.Series.points("training points", train.x(), train.y()));
        if (dir != null) {
            TrainingPage.write(dir.resolve(PAGE), "Degree-15 polynomial on 12 noisy points: training vs test (first "
                    + "draw), a frame every " + PAGE_EVERY + " Adam steps", "R²", pageRuns, null, TrainingPage.Unit.STEP);
            Plots.lines(dir.resolve("fit.png"), Plots.Axes.of("Degree-15 polynomial on 12 noisy points: L2 tames overfitting", "x", "y"),
                    curves.stream().map(c -> new Plots.Series(c.name(), c.x(),
                            Arrays.stream(c.y()).map(v -> Math.max(-3, Math.min(3, v))).toArray(), c.points()))
                            .toList());
        }
        return out;
    }
}
