package io.ndopt.internal.gpusuite;

import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceSegment;
import io.ndopt.internal.device.DeviceStore;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.Gpu;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network's device operations alone on one GPU, for a quick look on a GPU machine without the whole
 * suite: {@link DeviceOpsCheck}, then the GPU time and the host time of the operations of one training
 * step of a dense network (forward, loss, backward; no optimizer) queued back to back.
 * {@code java -cp ndopt-cli.jar io.ndopt.internal.cli.GpuOpsProbe [ordinal [batch width...]]}, e.g.
 * {@code 0 128 784 256 256 10} (the default); exits 1 if a check fails.
 */
public final class DeviceOpsProbe {
    private DeviceOpsProbe() {}

    /** Runs the checks and the timing ({@code io.ndopt.internal.cli.GpuOpsProbe} is the entry point). */
    public static void run(String[] args) {
        int ordinal = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int[] dims = args.length > 2 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {128, 784, 256, 256, 10};
        String why = Gpu.whyNot(io.ndopt.device.Device.cuda(ordinal));
        if (!why.isEmpty()) {
            System.err.println("no GPU: " + why);
            System.exit(2);
        }
        DeviceStore store = new DeviceStore(DataType.FLOAT, Nd4j.zeros(DataType.FLOAT, 4),
                Nd4j.zeros(DataType.FLOAT, 4), new INDArray[0]);
        boolean ok = true;
        try (DeviceUpdater u = Gpu.engine().open(ordinal, List.of(store), List.of(new DeviceSegment(0, 0, 4)))) {
            System.out.println(u.deviceName());
            for (DeviceOpsCheck.Result c : DeviceOpsCheck.run(u)) {
                System.out.printf(Locale.ROOT, "%-4s %-44s max rel %.2e  max abs %.2e  differing %d  %s%n",
                        c.passed() ? "PASS" : "FAIL", c.name(), c.maxRel(), c.maxAbs(), c.differing(), c.detail());
                ok &= c.passed();
            }
            for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) time(u, dt, dims);
        }
        System.exit(ok ? 0 : 1);
    }

    /** One step's operations of a ReLU network with softmax cross-entropy: dims = batch, then layer widths. */
    static void time(DeviceUpdater u, DataType dt, int[] dims) {
        DeviceOps ops = u.ops();
        int batch = dims[0], layers = dims.length - 2, w = dt.width();
        long[] act = new long[layers + 1], z = new long[layers + 1], delta = new long[layers + 1];
        long[] weight = new long[layers + 1], bias = new long[layers + 1], gw = new long[layers + 1];
        long[] gb = new long[layers + 1];
        act[0] = ops.alloc((long) batch * dims[1] * w, "input");
        for (int l = 1; l <= layers; l++) {
            int in = dims[l], out = dims[l + 1];
            z[l] = ops.alloc((long) batch * out * w, "z");
            act[l] = ops.alloc((long) batch * out * w, "a");
            delta[l] = ops.alloc((long) batch * out * w, "delta");
            weight[l] = ops.alloc((long) in * out * w, "W");
            gw[l] = ops.alloc((long) in * out * w, "dW");
            bias[l] = ops.alloc((long) out * w, "b");
            gb[l] = ops.alloc((long) out * w, "db");
        }
        long y = ops.alloc((long) batch * dims[dims.length - 1] * w, "y"), value = ops.alloc(8, "loss");
        Runnable step = () -> {
            for (int l = 1; l <= layers; l++) {                      // z = a W, a' = act(z + b)
                ops.gemm(dt, false, false, batch, dims[l + 1], dims[l], act[l - 1], weight[l], 0, z[l]);
                ops.biasActivation(dt, z[l], bias[l], l == layers ? z[l] : act[l], batch, dims[l + 1],
                        l == layers ? DeviceOps.ACT_IDENTITY : DeviceOps.ACT_RELU);
            }
            ops.lossAndGradient(dt, DeviceOps.LOSS_SOFTMAX_CROSS_ENTROPY, z[layers], y, delta[layers], batch,
                    dims[dims.length - 1], value);
            for (int l = layers; l >= 1; l--) {                      // dW = aᵀ δ, δ' = δ Wᵀ ⊙ act'(z)
                ops.activationBackward(dt, z[l], l == layers ? z[l] : act[l], delta[l], batch, dims[l + 1],
                        l == layers ? DeviceOps.ACT_IDENTITY : DeviceOps.ACT_RELU, gb[l]);
                ops.gemm(dt, true, false, dims[l], dims[l + 1], batch, act[l - 1], delta[l], 0, gw[l]);
                if (l > 1) ops.gemm(dt, false, true, batch, dims[l], dims[l + 1], delta[l], weight[l], 0, delta[l - 1]);
            }
        };
        double[] gpu = u.time(step, 20, 50);
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) step.run();
        double hostQueue = (System.nanoTime() - t0) / 50e6;
        ops.synchronize();
        double hostSync = (System.nanoTime() - t0) / 50e6;
        Arrays.sort(gpu);
        System.out.printf(Locale.ROOT, "step ops %s %s: GPU median %.4f ms (min %.4f), host queueing %.4f ms/step, "
                + "host incl. sync %.4f ms/step%n", Arrays.toString(dims), dt, gpu[gpu.length / 2], gpu[0], hostQueue,
                hostSync);
        for (long[] ps : List.of(act, z, delta, weight, bias, gw, gb)) {
            for (long p : ps) if (p != 0) ops.free(p);
        }
        ops.free(y);
        ops.free(value);
    }
}
