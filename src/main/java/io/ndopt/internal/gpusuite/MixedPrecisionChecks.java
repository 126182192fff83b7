package io.ndopt.internal.gpusuite;

import io.ndopt.backend.Blas;
import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.device.Device;
import io.ndopt.device.MixedPrecision;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.train.LossScaler;
import io.ndopt.train.TrainResult;
import io.ndopt.train.TrainState;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mixed precision on the device ({@link MixedPrecision}): the 16-bit conversions against their definition
 * ({@link HalfReference}, bitwise, edge values included), the products ({@link DeviceOps#gemmMixed}: within
 * {@link #PRODUCT} · Σ|a||b| of the double product of the rounded inputs; TF32: within {@link #TF32} · Σ|a||b| of the
 * product of TF32-rounded inputs, and visibly not the float32 product), bf16 and fp16 training of a small MLP reaching
 * the fp32 run's validation accuracy within {@link #ACCURACY_BAND}, and fp16 loss scaling on a planted overflow (every
 * step at scale 2^100 skipped and the parameters untouched; from 2^40 the scale halves once per skipped step).
 */
public final class MixedPrecisionChecks {
    /** float32 accumulation of k ≤ 96 products: k · 2^-24 ≈ 6e-6 of Σ|a||b| at worst. */
    public static final double PRODUCT = 1e-5;
    /** TF32 inputs rounded or truncated to 10 fraction bits: 2^-10 of Σ|a||b| covers either. */
    public static final double TF32 = 0x1p-10;
    /** Validation accuracy of bf16 / fp16 training within this of fp32's (absolute). */
    public static final double ACCURACY_BAND = 0.03;
    static final int EPOCHS = 20;

    private MixedPrecisionChecks() {}

    /** How many checks {@link #run} returns. */
    public static int count() { return 2 + 3 + 2 + 2; }

    /** Every check on {@code device}'s scratch ops and trainers. */
    public static List<CheckResult> run(Device device, DeviceOps ops) {
        List<CheckResult> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(11);
        for (DataType half : List.of(DataType.BFLOAT16, DataType.HALF)) out.add(guard("mixed/convert/" + name(half),
                () -> conversion(ops, half, r)));
        for (DataType half : List.of(DataType.BFLOAT16, DataType.HALF)) out.add(guard("mixed/gemm/" + name(half),
                () -> product(ops, half, r)));
        out.add(guard("mixed/gemm/tf32", () -> product(ops, null, r)));
        Run fp32 = null;
        try {
            fp32 = train(device, MixedPrecision.FP32, null);
        } catch (RuntimeException e) {
            out.add(CheckResult.fail("mixed/train", "the fp32 run failed: " + e));
        }
        for (MixedPrecision p : List.of(MixedPrecision.BF16, MixedPrecision.FP16)) {
            Run base = fp32;
            out.add(guard("mixed/train/" + p.label(), () -> band(base, train(device, p, null), p)));
        }
        out.add(guard("mixed/loss-scale/all-skipped", () -> allSkipped(device)));
        out.add(guard("mixed/loss-scale/backoff", () -> backoff(device)));
        return out;
    }

    private interface Check { CheckResult run(); }

    private static CheckResult guard(String name, Check c) {
        try {
            return c.run();
        } catch (RuntimeException e) {
            return CheckResult.fail(name, e.toString());
        }
    }

    private static String name(DataType half) { return half == DataType.BFLOAT16 ? "bf16" : "fp16"; }

    /** Random floats over many binades and the edges: zeros, ties, subnormals, the largest values, inf, NaN. */
    static float[] conversionInputs(SplittableRandom r) {
        List<Float> v = new ArrayList<>(List.of(0f, -0f, 1f, -1f, 65504f, 65519.996f, 65520f, 65536f, 1e-8f, 0x1p-24f,
                0x1p-25f, 3 * 0x1p-26f, 0x1p-14f, 0x1.ff8p-15f, 1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 1 + 0x1p-8f,
                1 + 3 * 0x1p-8f, -(1 + 0x1p-8f), Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0x1.fffffep127f, 3.3895314e38f));
        for (int i = 0; i < 4000; i++) {
            float m = (float) (1 + r.nextDouble());
            v.add((r.nextBoolean() ? -1 : 1) * Math.scalb(m, r.nextInt(-30, 20)));
        }
        for (int i = 0; i < 500; i++) v.add(Float.intBitsToFloat(r.nextInt()));     // any bits, NaNs included
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = v.get(i);
        return out;
    }

    static CheckResult conversion(DeviceOps ops, DataType half, SplittableRandom r) {
        float[] x = conversionInputs(r);
        int[] got = toHalf(ops, half, x);
        long differing = 0;
        String first = "";
        for (int i = 0; i < x.length; i++) {
            int want = half == DataType.BFLOAT16 ? HalfReference.bf16(x[i]) : HalfReference.f16(x[i]);
            boolean nan = Float.isNaN(x[i]);
            boolean ok = nan ? isNan(got[i], half) : got[i] == want;
            if (!ok) {
                if (differing++ == 0) first = String.format(Locale.ROOT, "; first: %s -> 0x%04x, want 0x%04x", x[i],
                        got[i], want);
            }
        }
        String what = x.length + " floats (random binades, any bits, ties, subnormals, overflow, NaN) rounded to "
                + name(half) + " vs the nearest encoding, ties to even, bitwise" + first;
        return differing == 0 ? new CheckResult("mixed/convert/" + name(half), CheckResult.Status.PASS, 0, 0, 0, what)
                : new CheckResult("mixed/convert/" + name(half), CheckResult.Status.FAIL, Double.NaN, Double.NaN,
                differing, what);
    }

    private static boolean isNan(int bits, DataType half) {
        return half == DataType.BFLOAT16 ? (bits & 0x7f80) == 0x7f80 && (bits & 0x7f) != 0
                : (bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0;
    }

    /** {@code x} rounded on the device to {@code half}: the 16-bit encodings. */
    static int[] toHalf(DeviceOps ops, DataType half, float[] x) {
        INDArray hx = Nd4j.createFromArray(x);
        long src = ops.alloc(4L * x.length, "conversion input"), dst = ops.alloc(2L * x.length, "conversion output");
        try {
            ops.upload(src, Blas.pointer(hx).address(), 4L * x.length);
            ops.toHalf(half, src, dst, x.length);
            INDArray out = Nd4j.create(DataType.SHORT, x.length);
            ops.download(Blas.pointer(out).address(), dst, 2L * x.length);
            int[] bits = new int[x.length];
            for (int i = 0; i < x.length; i++) bits[i] = out.getInt(i) & 0xffff;
            return bits;
        } finally {
            ops.free(src);
            ops.free(dst);
        }
    }

    /** What a product reads of one input: the 16-bit value, or (half == null) the TF32-rounded one. */
    private static double operand(float v, DataType half) {
        if (half == DataType.BFLOAT16) return HalfReference.fromBf16(HalfReference.bf16(v));
        if (half == DataType.HALF) return HalfReference.fromF16(HalfReference.f16(v));
        int b = Float.floatToRawIntBits(v);
        return Float.intBitsToFloat((b + 0xfff + ((b >> 13) & 1)) & 0xffffe000);
    }

    /** NN, TN and NT products (the three a network uses), beta 0 and 1, three shapes, against the double reference. */
    static CheckResult product(DeviceOps ops, DataType half, SplittableRandom r) {
        String label = half == null ? "tf32" : name(half);
        int[][] shapes = {{7, 3, 10}, {33, 17, 7}, {64, 96, 80}};
        double bound = half == null ? TF32 : PRODUCT;
        double maxRel = 0, maxFromF32 = 0;
        long bad = 0, differing = 0;
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = t == 1, tb = t == 2;
                double beta = t == 3 ? 1 : 0;
                int m = s[0], n = s[1], k = s[2];
                float[] a = random(r, m * k), b = random(r, k * n), c = random(r, m * n);
                float[] got = deviceProduct(ops, half, ta, tb, m, n, k, a, b, beta, c);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double ref = beta * c[i * n + j], f32 = ref, scale = Math.abs(beta);
                        for (int l = 0; l < k; l++) {
                            float x = ta ? a[l * m + i] : a[i * k + l], y = tb ? b[j * k + l] : b[l * n + j];
                            ref += operand(x, half) * operand(y, half);
                            f32 += (double) x * y;
                            scale += Math.abs((double) x * y);
                        }
                        double g = got[i * n + j], err = Math.abs(g - ref) / scale;
                        if (g != ref) differing++;
                        maxRel = Math.max(maxRel, err);
                        maxFromF32 = Math.max(maxFromF32, Math.abs(g - f32) / scale);
                        if (!(err <= bound)) bad++;
                    }
                }
            }
        }
        String what = "A·B, Aᵀ·B, A·Bᵀ (beta 0) and A·B + C, 3 shapes up to 64×96×80: error / Σ|a||b| vs the double "
                + "product of the " + (half == null ? "TF32-rounded" : label) + " inputs, bound " + bound;
        if (half == null) {
            boolean engaged = maxFromF32 > PRODUCT;
            what += "; largest deviation from the float32 product " + String.format(Locale.ROOT, "%.2e", maxFromF32)
                    + (engaged ? " (TF32 is in use)" : " — not above " + PRODUCT + ": TF32 was not used");
            if (!engaged) bad++;
        }
        return new CheckResult("mixed/gemm/" + label, bad == 0 ? CheckResult.Status.PASS : CheckResult.Status.FAIL,
                maxRel, Double.NaN, differing, what);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (2 * r.nextDouble() - 1);
        return v;
    }

    /** Row-major op(A)·op(B) + beta·C on the device, in {@code half} (null: float32 with TF32 on). */
    static float[] deviceProduct(DeviceOps ops, DataType half, boolean ta, boolean tb, int m, int n, int k, float[] a,
                                 float[] b, double beta, float[] c) {
        List<Long> mem = new ArrayList<>();
        try {
            long pa = up(ops, a, mem), pb = up(ops, b, mem), pc = up(ops, c, mem);
            if (half == null) {
                ops.tf32(true);
                try {
                    ops.gemm(DataType.FLOAT, ta, tb, m, n, k, pa, pb, beta, pc);
                } finally {
                    ops.tf32(false);
                }
            } else {
                long ha = ops.alloc(2L * a.length, "16-bit A"), hb = ops.alloc(2L * b.length, "16-bit B");
                mem.add(ha);
                mem.add(hb);
                ops.toHalf(half, pa, ha, a.length);
                ops.toHalf(half, pb, hb, b.length);
                ops.gemmMixed(half, ta, tb, m, n, k, ha, hb, beta, pc);
            }
            INDArray out = Nd4j.create(DataType.FLOAT, (long) m * n);
            ops.download(Blas.pointer(out).address(), pc, 4L * m * n);
            return out.toFloatVector();
        } finally {
            for (long p : mem) ops.free(p);
        }
    }

    private static long up(DeviceOps ops, float[] v, List<Long> mem) {
        INDArray h = Nd4j.createFromArray(v);
        long p = ops.alloc(4L * v.length, "product operand");
        mem.add(p);
        ops.upload(p, Blas.pointer(h).address(), 4L * v.length);
        ops.synchronize();
        return p;
    }

    /** One training run: the last epoch's validation accuracy, the final state and result. */
    record Run(double accuracy, TrainState state, TrainResult result, long optimizerSteps, double[] before,
               double[] after) {}

    static Dataset data(long seed) { return Synthetic.spirals(240, 3, 0.1, seed, DataType.FLOAT); }

    /** A [2, 32, 32, 3] tanh MLP, Adam 1e-2, batch 32, on spirals (3 classes), in {@code p}. */
    static Run train(Device device, MixedPrecision p, LossScaler.State scaler) {
        return train(device, p, scaler, EPOCHS);
    }

    static Run train(Device device, MixedPrecision p, LossScaler.State scaler, int epochs) {
        Dataset tr = data(5), va = data(6);
        Sequential m = Sequential.mlp(2, new int[] {32, 32}, 3, Activation.TANH, Activation.IDENTITY, DataType.FLOAT, 3);
        double[] before = values(m);
        try (Optimizer opt = Optimizer.adam(1e-2).device(device).build(m.params())) {
            TrainState st = scaler == null ? new TrainState()
                    : new TrainState(0, 0, 0, List.of(), Double.POSITIVE_INFINITY, -1, 0, false, null, scaler);
            TrainResult r = new Trainer(m, Loss.SOFTMAX_CROSS_ENTROPY, opt, TrainerOptions.defaults().withEpochs(epochs)
                    .withBatchSize(32).withPrecision(p)).resume(st, tr, va);
            return new Run(r.last().valMetric(), st, r, opt.stepCount(), before, values(m));
        }
    }

    static double[] values(Sequential m) {
        return m.params().stream().flatMapToDouble(q -> java.util.Arrays.stream(q.value().dup().data().asDouble()))
                .toArray();
    }

    static CheckResult band(Run fp32, Run run, MixedPrecision p) {
        if (fp32 == null) return CheckResult.fail("mixed/train/" + p.label(), "no fp32 run to compare with");
        double d = Math.abs(run.accuracy() - fp32.accuracy());
        String what = String.format(Locale.ROOT, "%d epochs of a [2,32,32,3] tanh MLP on spirals: validation accuracy "
                + "%.4f vs fp32's %.4f (band %.2f)%s", EPOCHS, run.accuracy(), fp32.accuracy(), ACCURACY_BAND,
                p == MixedPrecision.FP16 ? "; loss scale " + run.state().lossScaler().scale() + ", "
                        + run.state().scalerSkippedSteps() + " steps skipped" : "");
        boolean ok = d <= ACCURACY_BAND && fp32.accuracy() > 0.5;
        return new CheckResult("mixed/train/" + p.label(), ok ? CheckResult.Status.PASS : CheckResult.Status.FAIL, d, d,
                0, what);
    }

    /** fp16 from scale 2^100: the loss gradient overflows float16 at every one of 8 steps; nothing is updated. */
    static CheckResult allSkipped(Device device) {
        Run r = train(device, MixedPrecision.FP16, new LossScaler.State(0x1p100f, 0, 0), 1);
        long steps = r.state().globalStep();
        boolean ok = r.optimizerSteps() == 0 && r.state().scalerSkippedSteps() == steps
                && r.state().lossScaler().scale() == Math.scalb(0x1p100f, (int) -steps)
                && java.util.Arrays.equals(r.before(), r.after());
        return new CheckResult("mixed/loss-scale/all-skipped", ok ? CheckResult.Status.PASS : CheckResult.Status.FAIL,
                0, 0, 0, "fp16 at scale 2^100: " + r.state().scalerSkippedSteps() + " of " + steps + " steps skipped, "
                + r.optimizerSteps() + " optimizer steps, final scale " + r.state().lossScaler().scale()
                + " (want 2^" + (100 - steps) + "), parameters " + (java.util.Arrays.equals(r.before(), r.after())
                ? "unchanged" : "CHANGED"));
    }

    /** fp16 from scale 2^40: the first steps overflow and halve the scale each time, then training goes on. */
    static CheckResult backoff(Device device) {
        Run r = train(device, MixedPrecision.FP16, new LossScaler.State(0x1p40f, 0, 0), 3);
        long skipped = r.state().scalerSkippedSteps(), steps = r.state().globalStep();
        float scale = r.state().lossScaler().scale();
        boolean ok = skipped >= 1 && skipped < steps && scale == Math.scalb(0x1p40f, (int) -skipped)
                && r.optimizerSteps() + skipped == steps && Double.isFinite(r.result().last().valLoss());
        return new CheckResult("mixed/loss-scale/backoff", ok ? CheckResult.Status.PASS : CheckResult.Status.FAIL, 0, 0,
                0, "fp16 from scale 2^40, 3 epochs: " + skipped + " steps skipped, " + r.optimizerSteps()
                + " taken of " + steps + ", scale 2^" + Math.getExponent(scale) + " (want 2^" + (40 - skipped) + ")");
    }
}
