package io.ndopt.examples.consumer;

import static io.ndopt.examples.consumer.Check.require;

import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Proximal L1 on a sparse regression: n = 200 rows, p = 50 features, 5 of them in the true model.
 * Full-batch SGD with {@code l1(λ)} (ISTA on {@code MSE + λ‖w‖₁}) must set the 45 others to exactly 0.0
 * and keep the 5 with their signs.
 */
final class SparseL1 {
    private SparseL1() {}

    static final int N = 200, P = 50;
    static final int[] SUPPORT = {3, 11, 19, 30, 44};
    static final double[] TRUE = {2.0, -1.5, 1.0, -2.5, 1.2};

    static String run() {
        Random rnd = new Random(7);
        double[][] x = new double[N][P];
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < P; j++) x[i][j] = rnd.nextGaussian();
            for (int k = 0; k < SUPPORT.length; k++) y[i] += TRUE[k] * x[i][SUPPORT[k]];
            y[i] += 0.1 * rnd.nextGaussian();
        }
        INDArray X = Nd4j.create(x), Y = Nd4j.create(y, new long[] {N, 1}, DataType.DOUBLE);
        Param w = Param.weight("w", Nd4j.zeros(DataType.DOUBLE, P, 1));
        Optimizer opt = Optimizer.sgd(0.05).l1(0.1).build(List.of(w));
        for (int step = 0; step < 2000; step++) {
            INDArray r = X.mmul(w.value()).subi(Y);
            w.setGrad(X.transpose().mmul(r).muli(2.0 / N));                // ∇ mean squared error
            opt.step();
        }
        double[] coef = w.value().dup().data().asDouble();
        int zeros = 0;
        for (double c : coef) if (c == 0.0) zeros++;
        for (int k = 0; k < SUPPORT.length; k++) {
            double c = coef[SUPPORT[k]];
            require(c != 0.0 && Math.signum(c) == Math.signum(TRUE[k]) && Math.abs(c - TRUE[k]) < 0.2,
                    "feature " + SUPPORT[k] + ": coefficient " + c + ", true " + TRUE[k]);
        }
        require(zeros == P - SUPPORT.length,
                zeros + " exact zeros, expected " + (P - SUPPORT.length) + " (every feature outside the true model)");
        return String.format("sparse L1: %d of %d coefficients exactly 0.0, the %d true ones kept"
                + " (w[%d] = %.3f, true %.1f)", zeros, P, SUPPORT.length, SUPPORT[0], coef[SUPPORT[0]], TRUE[0]);
    }
}
