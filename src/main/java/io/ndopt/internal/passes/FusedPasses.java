package io.ndopt.internal.passes;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The fused element-wise passes of a dense network's step, each one loop over row-major
 * {@code [rows, n]} buffers instead of several ND4J ops with fresh outputs. Each pass has a
 * readable ND4J reference that {@code KernelParityTest} proves it equal to:
 * <ul>
 *   <li>{@link #biasActivation}: {@code a = act(z + b)} — {@code Activation.forward} of
 *       {@code z.addiRowVector(b)};</li>
 *   <li>{@link #activationBackward}: {@code dZ = act'(z) ⊙ dA} and {@code db = Σ_rows dZ} — {@code Activation.backward}
 *       and {@code sum(0)};</li>
 *   <li>{@link #lossAndGradient}: value and {@code dL/dout} — {@code Loss.value} and {@code Loss.gradient}.</li>
 * </ul>
 * Arithmetic is in double (see {@link Buf}); sums (bias gradient, loss) accumulate in double.
 */
public final class FusedPasses {
    /** Activation codes: {@code io.ndopt.nn.Activation}'s ordinals (its tests check the names line up). */
    public static final int IDENTITY = 0, RELU = 1, LEAKY_RELU = 2, TANH = 3, SIGMOID = 4, SOFTMAX = 5;
    /** Loss codes: {@code io.ndopt.nn.Loss}'s ordinals. */
    public static final int MSE = 0, BCE_WITH_LOGITS = 1, SOFTMAX_CROSS_ENTROPY = 2;
    /** Leaky ReLU's slope for negative inputs (PyTorch's default). */
    public static final double LEAKY_SLOPE = 0.01;

    private FusedPasses() {}

    /** {@code z ← z + b} (b broadcast over rows), then {@code a ← act(z)}; {@code a} may be {@code z}. */
    public static void biasActivation(Buf z, Buf b, Buf a, int rows, int n, int act) {
        if ((act == IDENTITY || act == RELU) && z instanceof Buf.F32 zf && b instanceof Buf.F32 bf
                && a instanceof Buf.F32 af) {
            biasReluF32(zf.floats(), bf.floats(), af.floats(), rows, n, act == RELU);
            return;
        }
        for (int r = 0, base = 0; r < rows; r++, base += n) {
            for (int j = 0; j < n; j++) z.set(base + j, z.get(base + j) + b.get(j));
            switch (act) {
                case IDENTITY -> { if (a != z) a.copyFrom(z, base, base, n); }
                case RELU -> {
                    for (int j = 0; j < n; j++) {
                        double v = z.get(base + j);
                        a.set(base + j, v <= 0 ? 0 : v);          // NaN stays NaN (PyTorch's relu)
                    }
                }
                case LEAKY_RELU -> {
                    for (int j = 0; j < n; j++) {
                        double v = z.get(base + j);
                        a.set(base + j, v > 0 ? v : LEAKY_SLOPE * v);
                    }
                }
                case TANH -> { for (int j = 0; j < n; j++) a.set(base + j, Math.tanh(z.get(base + j))); }
                case SIGMOID -> { for (int j = 0; j < n; j++) a.set(base + j, 1 / (1 + Math.exp(-z.get(base + j)))); }
                case SOFTMAX -> softmaxRow(z, a, base, n);
            }
        }
    }

    /**
     * {@link #biasActivation} for float buffers and identity or ReLU, in float: one float addition rounds
     * exactly as the double sum rounded once, so the bits equal the generic loop's.
     */
    private static void biasReluF32(FloatBuffer z, FloatBuffer b, FloatBuffer a, int rows, int n, boolean relu) {
        for (int r = 0, base = 0; r < rows; r++, base += n) {
            for (int j = 0; j < n; j++) {
                float v = z.get(base + j) + b.get(j);
                z.put(base + j, v);
                a.put(base + j, relu && v <= 0 ? 0f : v);          // NaN stays NaN (PyTorch's relu)
            }
        }
    }

    /** {@code a[row] = exp(z − max) / Σ exp(z − max)} over one row starting at {@code base}. */
    private static void softmaxRow(Buf z, Buf a, int base, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, z.get(base + j));
        double sum = 0;
        for (int j = 0; j < n; j++) {
            double e = Math.exp(z.get(base + j) - max);
            a.set(base + j, e);
            sum += e;
        }
        for (int j = 0; j < n; j++) a.set(base + j, a.get(base + j) / sum);
    }

    /**
     * {@code d ← act'(z) ⊙ d} in place (d holds dL/da on entry, dL/dz on exit, given z and a = act(z)),
     * and {@code biasGrad ← Σ_rows d} through the scratch {@code colSum} (length ≥ n).
     */
    public static void activationBackward(Buf z, Buf a, Buf d, int rows, int n, int act, double[] colSum,
            Buf biasGrad) {
        Arrays.fill(colSum, 0, n, 0.0);
        if ((act == IDENTITY || act == RELU) && z instanceof Buf.F32 zf && d instanceof Buf.F32 df) {
            reluBackwardF32(zf.floats(), df.floats(), rows, n, act == RELU, colSum);
            for (int j = 0; j < n; j++) biasGrad.set(j, colSum[j]);
            return;
        }
        for (int r = 0, base = 0; r < rows; r++, base += n) {
            switch (act) {
                case IDENTITY -> { }
                // 1[z > 0]
                case RELU -> { for (int j = 0; j < n; j++) if (!(z.get(base + j) > 0)) d.set(base + j, 0); }
                case LEAKY_RELU -> {
                    for (int j = 0; j < n; j++) {
                        if (!(z.get(base + j) > 0)) d.set(base + j, d.get(base + j) * LEAKY_SLOPE);
                    }
                }
                case TANH -> {
                    for (int j = 0; j < n; j++) {
                        double v = a.get(base + j);
                        d.set(base + j, d.get(base + j) * (1 - v * v));
                    }
                }
                case SIGMOID -> {
                    for (int j = 0; j < n; j++) {
                        double v = a.get(base + j);
                        d.set(base + j, d.get(base + j) * (v * (1 - v)));
                    }
                }
                case SOFTMAX -> {                                                   // a ⊙ (dA − Σ dA·a)
                    double dot = 0;
                    for (int j = 0; j < n; j++) dot += d.get(base + j) * a.get(base + j);
                    for (int j = 0; j < n; j++) d.set(base + j, a.get(base + j) * (d.get(base + j) - dot));
                }
            }
            for (int j = 0; j < n; j++) colSum[j] += d.get(base + j);
        }
        for (int j = 0; j < n; j++) biasGrad.set(j, colSum[j]);
    }

    /** {@link #activationBackward} for float buffers and identity or ReLU: the same masking and double column sums. */
    private static void reluBackwardF32(FloatBuffer z, FloatBuffer d, int rows, int n, boolean relu, double[] colSum) {
        for (int r = 0, base = 0; r < rows; r++, base += n) {
            for (int j = 0; j < n; j++) {
                float v = d.get(base + j);
                if (relu && !(z.get(base + j) > 0)) {                            // 1[z > 0]
                    v = 0;
                    d.put(base + j, 0f);
                }
                colSum[j] += v;
            }
        }
    }

    /** Writes dLoss/dOut into {@code grad} and returns the loss, both as {@link Loss} defines them. */
    public static double lossAndGradient(int loss, Buf out, Buf y, Buf grad, int rows, int n) {
        int len = rows * n;
        double sum = 0;
        switch (loss) {
            case MSE -> {                                     // mean((o − y)²), grad 2(o − y)/len
                for (int i = 0; i < len; i++) {
                    double r = out.get(i) - y.get(i);
                    sum += r * r;
                    grad.set(i, r * (2.0 / len));
                }
                return sum / len;
            }
            // mean(max(z,0) − z·y + log(1 + exp(−|z|))), grad (σ(z) − y)/len
            case BCE_WITH_LOGITS -> {
                for (int i = 0; i < len; i++) {
                    double z = out.get(i), t = y.get(i);
                    sum += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
                    grad.set(i, (1 / (1 + Math.exp(-z)) - t) / len);
                }
                return sum / len;
            }
            // mean_rows(log Σ exp(z − m) + m − z·y), grad (softmax(z) − y)/rows
            case SOFTMAX_CROSS_ENTROPY -> {
                for (int r = 0, base = 0; r < rows; r++, base += n) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) max = Math.max(max, out.get(base + j));
                    double s = 0, zy = 0;
                    for (int j = 0; j < n; j++) {
                        double e = Math.exp(out.get(base + j) - max);
                        grad.set(base + j, e);
                        s += e;
                        zy += out.get(base + j) * y.get(base + j);
                    }
                    sum += Math.log(s) + max - zy;
                    for (int j = 0; j < n; j++) grad.set(base + j, (grad.get(base + j) / s - y.get(base + j)) / rows);
                }
                return sum / rows;
            }
            default -> throw new IllegalStateException("unhandled loss " + loss);
        }
    }

    /** {@code out ← x ⊙ mask} over the first {@code len} elements ({@code out} may be {@code x}). */
    public static void multiply(Buf x, Buf mask, Buf out, int len) {
        for (int i = 0; i < len; i++) out.set(i, x.get(i) * mask.get(i));
    }
}
