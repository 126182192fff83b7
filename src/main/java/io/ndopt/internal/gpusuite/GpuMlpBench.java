package io.ndopt.internal.gpusuite;

import io.ndopt.data.Dataset;
import io.ndopt.device.Device;
import io.ndopt.device.MixedPrecision;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.train.LossScaler;
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
 * small = 784-256-256-10 batch 128 (the CPU's {@code MlpTrainBench}), large = 4096-4096-4096-10 batch 1024,
 * large4096 = the same at batch 4096.
 *
 * <p>Besides the float32 steps (CUDA graph and eager launches): for the large shapes the step in bf16 and fp16
 * ({@link MixedPrecision}; fp16 with its loss scaler's check and skip, as the Trainer runs it), against
 * {@code torch.autocast} in the Python script; and for every shape the network's element-wise passes of one step
 * alone (bias + activation and its backward with the bias gradient per layer, the loss; float32 kernels),
 * timed the same way, so their share of the step can be read against the whole step's row.
 */
public final class GpuMlpBench {
    /** An MLP shape and batch size. */
    public record Shape(String name, int inputs, int[] hidden, int outputs, int batch) {}

    public static final List<Shape> SHAPES = List.of(
            new Shape("small", 784, new int[] {256, 256}, 10, 128),
            new Shape("large", 4096, new int[] {4096, 4096}, 10, 1024),
            new Shape("large4096", 4096, new int[] {4096, 4096}, 10, 4096));

    /** One measurement, in the row format of {@code gpu-mlp-torch.json}. */
    public record Row(String config, String impl, double medianMs, double minMs, double wallMsPerStep, int reps) {}

    private GpuMlpBench() {}

    public static Shape shape(String name) {
        return SHAPES.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown MLP size '" + name + "' (have small, large, large4096)"));
    }

    public static Row run(Device device, Shape s, int warmup, int reps) { return run(device, s, warmup, reps, true); }

    /** One shape, the step replayed from a CUDA graph ({@code graphs}) or launched kernel by kernel. */
    public static Row run(Device device, Shape s, int warmup, int reps, boolean graphs) {
        return run(device, s, warmup, reps, graphs, MixedPrecision.FP32);
    }

    /** One shape in {@code precision}. */
    public static Row run(Device device, Shape s, int warmup, int reps, boolean graphs, MixedPrecision precision) {
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
        LossScaler scaler = precision == MixedPrecision.FP16 ? new LossScaler() : null;
        try (DeviceModel dm = DeviceModel.open(model, dp, precision).graphs(graphs)) {
            dp.resident(true);
            DeviceModel.Data d = dm.upload(data.x(), data.y());
            dm.permutation(Dataset.permutation(n, 2));
            double[] ms = new double[reps];
            for (int i = 0; i < warmup; i++) step(dm, d, opt, i % batches, s.batch(), scaler);
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                step(dm, d, opt, i % batches, s.batch(), scaler);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double wall = (System.nanoTime() - start) / 1e6 / reps;
            dp.resident(false);
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            String mode = precision == MixedPrecision.FP32 ? "" : precision.label() + " ";
            return new Row(s.name(), "ndopt " + mode + (graphs ? "CUDA graph" : "eager launches") + " (JDK "
                    + Runtime.version().feature() + ")", sorted[reps / 2], sorted[0], wall, reps);
        } finally {
            opt.close();
        }
    }

    private static void step(DeviceModel dm, DeviceModel.Data d, Optimizer opt, int b, int bs, LossScaler scaler) {
        if (scaler != null) dm.lossScale(scaler.scale(), scaler.inverse());
        dm.lossAndGradients(d, b * bs, (b + 1) * bs, Loss.SOFTMAX_CROSS_ENTROPY);
        if (scaler == null || scaler.update(dm.nonFiniteGradients())) opt.step();
        if (!Double.isFinite(dm.lastLoss())) throw new IllegalStateException("non-finite loss in the benchmark");
    }

    /** Every shape named. */
    public static List<Row> run(Device device, List<String> shapes, int warmup, int reps) {
        List<Row> rows = new ArrayList<>();
        for (String name : shapes) {
            rows.add(run(device, shape(name), warmup, reps, true));
            rows.add(run(device, shape(name), warmup, reps, false));
            rows.add(passes(device, shape(name), warmup, reps));
            if (name.startsWith("large")) {
                for (MixedPrecision p : List.of(MixedPrecision.BF16, MixedPrecision.FP16)) {
                    rows.add(run(device, shape(name), warmup, reps, true, p));
                }
            }
        }
        return rows;
    }

    /**
     * The element-wise passes of one float32 step of {@code s} alone, on buffers of the step's sizes: per Dense
     * layer bias + activation and activation backward with the bias gradient, then the softmax cross-entropy; timed
     * per step on the host clock after a synchronize, as the whole step.
     */
    public static Row passes(Device device, Shape s, int warmup, int reps) {
        Sequential model = Sequential.mlp(s.inputs(), s.hidden(), s.outputs(), Activation.RELU, Activation.IDENTITY,
                DataType.FLOAT, 1);
        Optimizer opt = Optimizer.adam(1e-3).device(device).build(model.params());
        DeviceOps ops = DeviceParams.of(opt).ops();
        int[] widths = new int[s.hidden().length + 1];
        System.arraycopy(s.hidden(), 0, widths, 0, s.hidden().length);
        widths[widths.length - 1] = s.outputs();
        List<Long> mem = new ArrayList<>();
        try {
            long[] z = new long[widths.length], a = new long[widths.length], g = new long[widths.length],
                    b = new long[widths.length];
            for (int i = 0; i < widths.length; i++) {
                long len = (long) s.batch() * widths[i] * 4;
                for (long[] buf : new long[][] {z, a, g}) {
                    buf[i] = ops.alloc(len, "bench buffer");
                    ops.zero(buf[i], len);
                    mem.add(buf[i]);
                }
                b[i] = ops.alloc(4L * widths[i], "bench bias");
                ops.zero(b[i], 4L * widths[i]);
                mem.add(b[i]);
            }
            long value = ops.alloc(8, "bench loss");
            mem.add(value);
            int last = widths.length - 1;
            Runnable step = () -> {
                for (int i = 0; i < widths.length; i++) {
                    ops.biasActivation(DataType.FLOAT, z[i], b[i], a[i], s.batch(), widths[i],
                            i == last ? DeviceOps.ACT_IDENTITY : DeviceOps.ACT_RELU);
                }
                ops.lossAndGradient(DataType.FLOAT, DeviceOps.LOSS_SOFTMAX_CROSS_ENTROPY, a[last], z[last], g[last],
                        s.batch(), widths[last], value);
                for (int i = last; i >= 0; i--) {
                    ops.activationBackward(DataType.FLOAT, z[i], a[i], g[i], s.batch(), widths[i],
                            i == last ? DeviceOps.ACT_IDENTITY : DeviceOps.ACT_RELU, b[i]);
                }
                ops.synchronize();
            };
            for (int i = 0; i < warmup; i++) step.run();
            double[] ms = new double[reps];
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                step.run();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double wall = (System.nanoTime() - start) / 1e6 / reps;
            Arrays.sort(ms);
            return new Row(s.name(), "ndopt element-wise passes only, float32 (JDK " + Runtime.version().feature()
                    + ")", ms[reps / 2], ms[0], wall, reps);
        } finally {
            for (long p : mem) ops.free(p);
            opt.close();
        }
    }
}
