package io.ndopt.internal.gpusuite;

import io.ndopt.device.Device;
import io.ndopt.internal.device.DeviceSegment;
import io.ndopt.internal.device.DeviceStore;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.Gpu;
import io.ndopt.internal.kernel.KernelScalars;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceParams;
import io.ndopt.optim.DecayMode;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.param.Param;
import io.ndopt.optim.GroupOptions;
import io.ndopt.optim.Rule;
import io.ndopt.optim.StepScalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GPU optimizer-step benchmark: AdamW, SGD (momentum) + L2 and AdamW + L1 over one float32
 * parameter of n elements that stays on the device. Three kinds of rows, each compared in
 * {@code benchmarks/gpu/torch_bench.py} with the same kind of PyTorch row:
 * <ul>
 *   <li>{@code step}: the whole {@code opt.step()} of a public {@link Optimizer} called from Java (values and
 *       gradients resident on the device, as a network on the GPU leaves them; the step reads its scalars, reduces
 *       Σg² for the non-finite check and synchronizes for it, launches the kernel) — against PyTorch's whole
 *       {@code opt.step()} called from Python. Timed two ways, after the same warm-up, each repetition starting
 *       from an idle GPU: host wall time from the call to the end of a synchronize after it ({@code wall}), and
 *       device events recorded around the call on the optimizer's stream ({@code events}).</li>
 *   <li>{@code kernel}: device events around ndopt's fused kernel launch alone (its scalars computed before) —
 *       against events around PyTorch's fused kernel alone ({@code torch._fused_adamw_} / {@code _fused_sgd_}).</li>
 *   <li>{@code copy}: a device-to-device copy of the parameter, the bandwidth yardstick.</li>
 * </ul>
 */
public final class GpuBench {
    /** A benchmark configuration: rule, options, and the bytes per parameter its kernel moves. */
    record Config(String name, Rule rule, GroupOptions options, int bytesPerParam,
                  java.util.function.Supplier<OptimizerBuilder> optimizer) {}

    static final List<Config> CONFIGS = List.of(
            new Config("adamw", Rule.Adam.defaults(),
                    GroupOptions.defaults(1e-3).withDecayMode(DecayMode.DECOUPLED).withWeightDecay(1e-2), 28,
                    () -> Optimizer.adamw(1e-3).weightDecay(1e-2)),
            new Config("sgd_l2", Rule.Sgd.plain().withMomentum(0.9),
                    GroupOptions.defaults(1e-3).withWeightDecay(1e-4), 20,
                    () -> Optimizer.sgd(1e-3).momentum(0.9).weightDecay(1e-4)),
            new Config("adamw_l1", Rule.Adam.defaults(), GroupOptions.defaults(1e-3).withDecayMode(DecayMode.DECOUPLED)
                    .withWeightDecay(1e-2).withL1(1e-4), 28, () -> Optimizer.adamw(1e-3).weightDecay(1e-2).l1(1e-4)));

    /**
     * One measurement: its kind ({@code step}, {@code kernel}, {@code copy}), timer ({@code events} or {@code wall}),
     * median and minimum of the repetitions in ms, and the effective bandwidth ({@code bytes moved / median}) in GB/s.
     */
    public record Row(String config, long n, String impl, String kind, String timer, double medianMs, double minMs,
                      double gbPerS, int reps) {}

    private GpuBench() {}

    public static List<Row> run(Device device, long[] sizes, int warmup, int reps) {
        String why = Gpu.whyNot(device);
        if (!why.isEmpty() || !device.isCuda()) {
            throw new IllegalStateException("cannot benchmark on " + device + ": "
                    + (why.isEmpty() ? "not a GPU" : why));
        }
        List<Row> rows = new ArrayList<>();
        for (long n : sizes) {
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("size " + n + " is not in [1, 2^31)");
            }
            INDArray values = Nd4j.valueArrayOf(new long[] {n}, 0.5f), grads = Nd4j.valueArrayOf(new long[] {n}, 1e-3f);
            for (Config c : CONFIGS) {
                int slots = c.rule().stateNames().size();
                INDArray[] state = new INDArray[slots];
                for (int i = 0; i < slots; i++) state[i] = Nd4j.zeros(DataType.FLOAT, n);
                DeviceSegment all = new DeviceSegment(0, 0, n);
                try (DeviceUpdater u = Gpu.engine()
                        .open(device.ordinal(), List.of(new DeviceStore(DataType.FLOAT, values, grads, state)),
                        List.of(all))) {
                    u.pushGrads();
                    KernelScalars k = scalars(c.rule(), StepScalars.resolve(c.options(), 2, 1.0));
                    rows.add(row(c.name(), n, "ndopt fused kernel", "kernel", "events",
                            u.time(() -> u.launch(all, k), warmup, reps), c.bytesPerParam()));
                }
                rows.addAll(wholeStep(device, c, values, grads, warmup, reps));
            }
            try (DeviceUpdater u = Gpu.engine().open(device.ordinal(),
                    List.of(new DeviceStore(DataType.FLOAT, values, grads, new INDArray[0])),
                    List.of(new DeviceSegment(0, 0, n)))) {
                rows.add(row("copy", n, "device-to-device copy", "copy", "events", u.timeCopy(4 * n, warmup, reps), 8));
            }
        }
        return rows;
    }

    /**
     * The whole {@code opt.step()} of a public optimizer on {@code device}, resident: wall time (idle GPU before each
     * call, synchronize after) and device events around the call, after the same warm-up.
     */
    static List<Row> wholeStep(Device device, Config c, INDArray values, INDArray grads, int warmup, int reps) {
        Param w = Param.weight("w", values.dup());
        List<Row> out = new ArrayList<>();
        try (Optimizer opt = c.optimizer().get().device(device).build(List.of(w))) {
            DeviceParams dp = DeviceParams.of(opt);
            dp.resident(true);
            DeviceOps ops = dp.ops();
            INDArray g = grads.dup();
            ops.upload(dp.grad(w), g.data().addressPointer().address(), 4 * w.length());
            ops.synchronize();
            for (int i = 0; i < warmup; i++) {
                opt.step();
                ops.synchronize();
            }
            double[] wall = new double[reps];
            for (int i = 0; i < reps; i++) {
                ops.synchronize();                                       // an idle GPU at the call
                long t0 = System.nanoTime();
                opt.step();
                ops.synchronize();
                wall[i] = (System.nanoTime() - t0) / 1e6;
            }
            out.add(row(c.name(), w.length(), "ndopt opt.step()", "step", "wall", wall, c.bytesPerParam() + 4));
            double[] events = dp.time(opt::step, 0, reps);               // each waits for its end event: idle starts
            out.add(row(c.name(), w.length(), "ndopt opt.step()", "step", "events", events, c.bytesPerParam() + 4));
            java.lang.ref.Reference.reachabilityFence(g);
        }
        return out;
    }

    /** The launch scalars of {@code rule} at step {@code s} (the optimizer's own translation is not public). */
    private static KernelScalars scalars(Rule rule, StepScalars s) {
        if (rule instanceof Rule.Sgd r) {
            return KernelScalars.sgd(s.t(), s.lr(), s.gradScale(), s.decayFactor(), s.l2(), s.threshold(),
                    r.momentum(), r.dampening(), r.nesterov());
        }
        Rule.Adam r = (Rule.Adam) rule;
        return KernelScalars.adam(s.t(), s.lr(), s.gradScale(), s.decayFactor(), s.l2(), s.threshold(),
                r.beta1(), r.beta2(), r.eps(), r.amsgrad());
    }

    static Row row(String config, long n, String impl, String kind, String timer, double[] ms, int bytesPerParam) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return new Row(config, n, impl, kind, timer, median, s[0], bytesPerParam * (double) n / (median * 1e-3) / 1e9,
                s.length);
    }
}
