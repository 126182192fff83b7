package io.ndopt.demo;

import io.ndopt.data.Dataset;
import io.ndopt.device.Device;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;

/** Full-batch gradient steps on a small dataset (the demos' linear models), without per-epoch evaluation. */
final class FullBatch {
    private FullBatch() {}

    /**
     * Builds {@code b}'s optimizer over the model's parameters on {@code device}, takes {@code steps}
     * full-batch steps and frees the optimizer (its GPU memory); returns the last loss. The model
     * keeps the trained values, so a later call warm-starts from them.
     */
    static double fit(Sequential model, Loss loss, OptimizerBuilder b, Device device, Dataset data, int steps) {
        Optimizer opt = b.device(device).build(model.params());
        try {
            double l = Double.NaN;
            for (int s = 0; s < steps; s++) {
                l = model.lossAndGradients(data.x(), data.y(), loss);
                opt.step();
            }
            return l;
        } finally {
            opt.close();
        }
    }
}
