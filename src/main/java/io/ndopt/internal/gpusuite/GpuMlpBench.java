package io.ndopt.internal.gpusuite;

import io.ndopt.data.Dataset;
import io.ndopt.device.Device;
import io.ndopt.internal.device.Gpu;
import io.ndopt.nn.Activation;
import io.ndopt.internal.nn.DeviceModel;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.internal.device.DeviceParams;
import io.ndopt.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The GPU training-step benchmark: one step of an MLP as the {@link io.ndopt.train.Trainer} runs it
 * on the GPU (batch gathered on the device, forward, softmax cross-entropy, backward, Adam with the
 * Σg² non-finite check, the loss value read back), float32, timed on the host clock per step —
 * what a user waits for. Shapes as in {@code benchmarks/gpu/torch_mlp_bench.py}:
 * small = 784-256-256-10 batch 128 (the CPU's {@code MlpTrainBench}), large = 4096-4096-4096-10 batch 1024.
 */
public final class GpuMlpBench {
    /** An MLP shape and batch size. */
    public record Shape(String name, int inputs, int[] hidden, int outputs, int batch) {}

    public static final List<Shape> SHAPES = List.of(
            new Shape("small", 784, new int[] {256, 256}, 10, 128),
            new Shape("large", 4096, new int[] {4096, 4096}, 10, 1024));

    /** One measurement, in the row format of {@code gpu-mlp-torch.json}. */
    public record Row(String config, String impl, double medianMs, double minMs, double wallMsPerStep, int reps) {}

    private GpuMlpBench() {}

    public static Shape shape(String name) {
        return SHAPES.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown MLP size '" + name + "' (have small, large)"));
    }

    public static Row run(Device device, Shape s, int warmup, int reps) { return run(device, s, warmup, reps, true); }

    /** One shape, the step replayed from a CUDA graph ({@code graphs}) or launched kernel by kernel. */
    public static Row run(Device device, Shape s, int warmup, int reps, boolean graphs) {
        String why = Gpu.whyNot(device);
        if (!why.isEmpty()) throw new IllegalStateException("cannot benchmark on " + device + ": " + why);
        int batches = 8, n = batches * s.batch();
        SplittableRandom r = new SplittableRandom(1);
        double[][] x = new double[n][s.inputs()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s.inputs(); j++) x[i][j] = r.nextDouble();
            labels[i] = r.nextInt(s.outputs());
        }
        Dataset data = Dataset.classification(x, labels, s.outputs(), DataType.FLOAT);
        Sequential model = Sequential.mlp(s.inputs(), s.hidden(), s.outputs(), Activation.RELU, Activation.IDENTITY,
                DataType.FLOAT, 1);
        Optimizer opt = Optimizer.adam(1e-3).device(device).build(model.params());
        DeviceParams dp = DeviceParams.of(opt);
        try (DeviceModel dm = DeviceModel.open(model, dp).graphs(graphs)) {
            dp.resident(true);
            DeviceModel.Data d = dm.upload(data.x(), data.y());
            dm.permutation(Dataset.permutation(n, 2));
            double[] ms = new double[reps];
            for (int i = 0; i < warmup; i++) step(dm, d, opt, i % batches, s.batch());
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                step(dm, d, opt, i % batches, s.batch());
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double wall = (System.nanoTime() - start) / 1e6 / reps;
            dp.resident(false);
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            return new Row(s.name(), "ndopt " + (graphs ? "CUDA graph" : "eager launches") + " (JDK "
                    + Runtime.version().feature() + ")", sorted[reps / 2], sorted[0], wall, reps);
        } finally {
            opt.close();
        }
    }

    private static void step(DeviceModel dm, DeviceModel.Data d, Optimizer opt, int b, int bs) {
        dm.lossAndGradients(d, b * bs, (b + 1) * bs, Loss.SOFTMAX_CROSS_ENTROPY);
        opt.step();
        if (!Double.isFinite(dm.lastLoss())) throw new IllegalStateException("non-finite loss in the benchmark");
    }

    /** Every shape named. */
    public static List<Row> run(Device device, List<String> shapes, int warmup, int reps) {
        List<Row> rows = new ArrayList<>();
        for (String name : shapes) {
            rows.add(run(device, shape(name), warmup, reps, true));
            rows.add(run(device, shape(name), warmup, reps, false));
        }
        return rows;
    }
}
