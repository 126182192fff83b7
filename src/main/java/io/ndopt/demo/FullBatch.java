package io.ndopt.demo;

import io.ndopt.data.Dataset;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;

/** Full-batch gradient steps on a small dataset (the demos' linear models), without per-epoch evaluation. */
final class FullBatch {
    private FullBatch() {}

    static double fit(Sequential model, Loss loss, Optimizer opt, Dataset data, int steps) {
        double l = Double.NaN;
        for (int s = 0; s < steps; s++) {
            l = model.lossAndGradients(data.x(), data.y(), loss);
            opt.step();
        }
        return l;
    }
}
