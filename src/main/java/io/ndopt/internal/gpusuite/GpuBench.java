package io.ndopt.internal.gpusuite;

import io.ndopt.device.Device;
import io.ndopt.internal.device.DeviceSegment;
import io.ndopt.internal.device.DeviceStore;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.Gpu;
import io.ndopt.internal.kernel.KernelScalars;
import io.ndopt.optim.DecayMode;
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
 * buffer of n parameters that stays on the device, timed with device events: the fused kernel
 * alone ("kernel", what PyTorch's fused optimizers do per step), the kernel after the Σg² reduction
 * that the non-finite check and clipping need ("step"), and a device-to-device copy of the
 * parameter buffer as the bandwidth yardstick.
 */
public final class GpuBench {
    /** A benchmark configuration: rule, options, and the bytes per parameter its kernel moves. */
    record Config(String name, Rule rule, GroupOptions options, int bytesPerParam) {}

    static final List<Config> CONFIGS = List.of(
            new Config("adamw", Rule.Adam.defaults(),
                    GroupOptions.defaults(1e-3).withDecayMode(DecayMode.DECOUPLED).withWeightDecay(1e-2), 28),
            new Config("sgd_l2", Rule.Sgd.plain().withMomentum(0.9),
                    GroupOptions.defaults(1e-3).withWeightDecay(1e-4), 20),
            new Config("adamw_l1", Rule.Adam.defaults(), GroupOptions.defaults(1e-3).withDecayMode(DecayMode.DECOUPLED)
                    .withWeightDecay(1e-2).withL1(1e-4), 28));

    /**
     * One measurement: median and minimum of the repetitions in ms, and the effective bandwidth
     * ({@code bytes moved / median}) in GB/s.
     */
    public record Row(String config, long n, String impl, double medianMs, double minMs, double gbPerS, int reps) {}

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
                    rows.add(row(c.name(), n, "ndopt kernel", u.time(() -> u.launch(all, k), warmup, reps),
                            c.bytesPerParam()));
                    rows.add(row(c.name(), n, "ndopt step (norm + kernel)", u.time(() -> {
                        u.sumSquares();
                        u.launch(all, k);
                    }, warmup, reps), c.bytesPerParam() + 4));
                }
            }
            try (DeviceUpdater u = Gpu.engine().open(device.ordinal(),
                    List.of(new DeviceStore(DataType.FLOAT, values, grads, new INDArray[0])),
                    List.of(new DeviceSegment(0, 0, n)))) {
                rows.add(row("copy", n, "device-to-device copy", u.timeCopy(4 * n, warmup, reps), 8));
            }
        }
        return rows;
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

    static Row row(String config, long n, String impl, double[] ms, int bytesPerParam) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return new Row(config, n, impl, median, s[0], bytesPerParam * (double) n / (median * 1e-3) / 1e9, s.length);
    }
}
