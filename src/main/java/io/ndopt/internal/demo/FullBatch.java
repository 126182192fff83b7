package io.ndopt.internal.demo;

import io.ndopt.data.Dataset;
import io.ndopt.device.Device;
import io.ndopt.internal.nn.DeviceModel;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.internal.device.DeviceParams;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import java.util.function.IntConsumer;

/** Full-batch gradient steps on a small dataset (the demos' linear models), without per-epoch evaluation. */
final class FullBatch {
    private FullBatch() {}

    /**
     * Builds {@code b}'s optimizer over the model's parameters on {@code device}, takes {@code steps}
     * full-batch steps and frees the optimizer (its GPU memory); returns the last loss. The model
     * keeps the trained values, so a later call warm-starts from them.
     */
    static double fit(Sequential model, Loss loss, OptimizerBuilder b, Device device, Dataset data, int steps) {
        return fit(model, loss, b, device, data, steps, Integer.MAX_VALUE, s -> {});
    }

    /**
     * The same, calling {@code after} with the step count after every {@code every} steps (the model's host
     * values current then, on a GPU too): the demos' pages record a frame there.
     */
    static double fit(Sequential model, Loss loss, OptimizerBuilder b, Device device, Dataset data, int steps,
            int every, IntConsumer after) {
        if (every < 1) throw new IllegalArgumentException("every must be >= 1, got " + every);
        Optimizer opt = b.device(device).build(model.params());
        try {
            if (device.isCuda() && DeviceModel.problem(model, DeviceParams.of(opt), data.size()) == null) {
                return onDevice(model, loss, opt, data, steps, every, after);
            }
            double l = Double.NaN;
            for (int s = 0; s < steps; s++) {
                l = model.lossAndGradients(data.x(), data.y(), loss);
                opt.step();
                if ((s + 1) % every == 0) after.accept(s + 1);
            }
            return l;
        } finally {
            opt.close();
        }
    }

    /** The same steps with the whole step on the GPU ({@link DeviceModel}): all rows in order, as on the CPU. */
    private static double onDevice(Sequential model, Loss loss, Optimizer opt, Dataset data, int steps, int every,
            IntConsumer after) {
        DeviceParams dp = DeviceParams.of(opt);
        try (DeviceModel dm = DeviceModel.open(model, dp)) {
            dp.resident(true);
            try {
                DeviceModel.Data d = dm.upload(data.x(), data.y());
                int n = data.size();
                int[] rows = new int[n];
                for (int i = 0; i < n; i++) rows[i] = i;
                dm.permutation(rows);
                for (int s = 0; s < steps; s++) {
                    dm.lossAndGradients(d, 0, n, loss);
                    opt.step();
                    if ((s + 1) % every == 0) {
                        dp.toHost();
                        after.accept(s + 1);
                    }
                }
                return steps == 0 ? Double.NaN : dm.lastLoss();
            } finally {
                dp.resident(false);                 // the trained values back in the model's host arrays
            }
        }
    }
}
