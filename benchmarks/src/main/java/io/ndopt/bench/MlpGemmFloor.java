package io.ndopt.bench;

import io.ndopt.backend.Blas;
import io.ndopt.backend.BlasCheck;
import io.ndopt.backend.Threads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GEMM floor of {@link MlpTrainBench}'s step (784-256-256-10, batch 128, float32): the step's
 * eight products alone — forward {@code Z = X·W} per layer, backward {@code dW = Xᵀ·dZ} per layer and
 * {@code dX = dZ·Wᵀ} below the first — through the OpenBLAS that ndopt calls ({@link Blas#gemm}, ND4J's
 * {@code libopenblas}), into preallocated ND4J buffers of the same shapes, in the step's order.
 *
 * <p>Two weight layouts: {@code ndopt} (W stored {@code [in, out]}: forward NN, dW TN, dX NT — what
 * the network path calls) and {@code torch} (W stored {@code [out, in]} as PyTorch keeps it: forward
 * NT, dW TN, dX NN). Each BLAS thread count and layout takes turns round by round, so background load
 * hits them alike. Prints one JSON line per (layout, threads): medians over all steps of the forward
 * products, the backward products and the whole sequence, the OpenBLAS core type asked for
 * ({@code OPENBLAS_CORETYPE}) and whether {@link BlasCheck} found its products correct.
 * Usage: {@code java -cp benchmarks.jar io.ndopt.bench.MlpGemmFloor [steps=200] [rounds=5] [threads=1,2]}.
 */
public final class MlpGemmFloor {
    static final int BATCH = 128;
    static final int[] WIDTHS = {784, 256, 256, 10};
    /** Multiply-adds × 2 of the eight products (the first layer's dX is not computed, as in training). */
    static final double MFLOP;

    static {
        double f = 0;
        for (int i = 0; i + 1 < WIDTHS.length; i++) f += (i == 0 ? 2 : 3) * 2.0 * BATCH * WIDTHS[i] * WIDTHS[i + 1];
        MFLOP = f / 1e6;
    }

    private final boolean torchLayout;
    /** Each product cut in two halves (rows, or dW's rows) run by this thread and a helper, OpenBLAS on 1 thread. */
    private final SpinPair split;
    private final INDArray[] w, gw, z, dz;
    private final INDArray x;

    MlpGemmFloor(boolean torchLayout, boolean split) {
        this.torchLayout = torchLayout;
        this.split = split ? new SpinPair() : null;
        int layers = WIDTHS.length - 1;
        w = new INDArray[layers];
        gw = new INDArray[layers];
        z = new INDArray[layers];
        dz = new INDArray[layers];
        Nd4j.getRandom().setSeed(1);
        x = Nd4j.rand(DataType.FLOAT, BATCH, WIDTHS[0]).subi(0.5);
        for (int i = 0; i < layers; i++) {
            int in = WIDTHS[i], out = WIDTHS[i + 1];
            w[i] = (torchLayout ? Nd4j.rand(DataType.FLOAT, out, in) : Nd4j.rand(DataType.FLOAT, in, out)).subi(0.5);
            gw[i] = Nd4j.create(DataType.FLOAT, torchLayout ? new long[] {out, in} : new long[] {in, out});
            z[i] = Nd4j.rand(DataType.FLOAT, BATCH, out).subi(0.5);     // also the activation the next layer reads
            dz[i] = Nd4j.rand(DataType.FLOAT, BATCH, out).subi(0.5);
        }
    }

    private static Pointer p(INDArray a) { return Blas.pointer(a); }

    /** Forward products; returns nothing, writes z[i]. */
    void forward() {
        if (split != null) {
            forwardSplit();
            return;
        }
        INDArray h = x;
        for (int i = 0; i < w.length; i++) {
            int in = WIDTHS[i], out = WIDTHS[i + 1];
            Blas.gemm(DataType.FLOAT, false, torchLayout, BATCH, out, in, p(h), p(w[i]), 0, p(z[i]));
            h = z[i];
        }
    }

    /** Backward products, last layer first: dW, then dX into the layer below's dZ (not for the first layer). */
    void backward() {
        if (split != null) {
            backwardSplit();
            return;
        }
        for (int i = w.length - 1; i >= 0; i--) {
            int in = WIDTHS[i], out = WIDTHS[i + 1];
            INDArray below = i == 0 ? x : z[i - 1];
            if (torchLayout) {
                Blas.gemm(DataType.FLOAT, true, false, out, in, BATCH, p(dz[i]), p(below), 0, p(gw[i]));
                if (i > 0) Blas.gemm(DataType.FLOAT, false, false, BATCH, in, out, p(dz[i]), p(w[i]), 0, p(dz[i - 1]));
            } else {
                Blas.gemm(DataType.FLOAT, true, false, in, out, BATCH, p(below), p(dz[i]), 0, p(gw[i]));
                if (i > 0) Blas.gemm(DataType.FLOAT, false, true, BATCH, in, out, p(dz[i]), p(w[i]), 0, p(dz[i - 1]));
            }
        }
    }

    /** Null if one forward + backward here gives the same products as in {@code o} (same data, same layout). */
    String differenceFrom(MlpGemmFloor o) {
        forward();
        backward();
        o.forward();
        o.backward();
        for (int i = 0; i < w.length; i++) {
            double dz = z[i].sub(o.z[i]).amaxNumber().doubleValue(), dg = gw[i].sub(o.gw[i]).amaxNumber().doubleValue();
            double scale = Math.max(1e-30, o.gw[i].amaxNumber().doubleValue());
            if (dz > 1e-5 * Math.max(1, o.z[i].amaxNumber().doubleValue()) || dg > 1e-5 * scale) {
                return "layer " + i + ": |Δz| " + dz + ", |ΔdW| " + dg;
            }
        }
        return null;
    }

    private static Pointer at(INDArray a, long offset) { return new FloatPointer(Blas.pointer(a)).position(offset); }

    /** The ndopt layout's forward, each product's rows halved between this thread and the helper. */
    private void forwardSplit() {
        INDArray h = x;
        int half = BATCH / 2;
        for (int i = 0; i < w.length; i++) {
            int in = WIDTHS[i], out = WIDTHS[i + 1];
            INDArray hi = h, zi = z[i], wi = w[i];
            split.run(() -> Blas.gemm(DataType.FLOAT, false, false, half, out, in, at(hi, 0), in, p(wi), out, 0,
                            at(zi, 0), out),
                    () -> Blas.gemm(DataType.FLOAT, false, false, BATCH - half, out, in, at(hi, (long) half * in), in,
                            p(wi), out, 0, at(zi, (long) half * out), out));
            h = z[i];
        }
    }

    /** The ndopt layout's backward: dW's rows (input features) halved, dX's rows (samples) halved. */
    private void backwardSplit() {
        for (int i = w.length - 1; i >= 0; i--) {
            int in = WIDTHS[i], out = WIDTHS[i + 1], m0 = in / 2, r0 = BATCH / 2;
            INDArray below = i == 0 ? x : z[i - 1], dzi = dz[i], gwi = gw[i], wi = w[i];
            split.run(() -> Blas.gemm(DataType.FLOAT, true, false, m0, out, BATCH, at(below, 0), in, p(dzi), out, 0,
                            at(gwi, 0), out),
                    () -> Blas.gemm(DataType.FLOAT, true, false, in - m0, out, BATCH, at(below, m0), in, p(dzi), out, 0,
                            at(gwi, (long) m0 * out), out));
            if (i > 0) {
                INDArray dzb = dz[i - 1];
                split.run(() -> Blas.gemm(DataType.FLOAT, false, true, r0, in, out, at(dzi, 0), out, p(wi), out, 0,
                                at(dzb, 0), in),
                        () -> Blas.gemm(DataType.FLOAT, false, true, BATCH - r0, in, out, at(dzi, (long) r0 * out), out,
                                p(wi), out, 0, at(dzb, (long) r0 * in), in));
            }
        }
    }

    /** A caller and one helper thread running two halves of a job; the helper spins 200 µs, then parks. */
    static final class SpinPair {
        private volatile int posted, done;
        private volatile Runnable task;
        private volatile boolean parked;
        private final Thread helper;

        SpinPair() {
            helper = new Thread(() -> {
                int seen = 0;
                while (true) {
                    long idle = System.nanoTime();
                    while (posted == seen) {
                        if (System.nanoTime() - idle < 200_000) Thread.onSpinWait();
                        else {
                            parked = true;
                            if (posted == seen) LockSupport.park(this);
                            parked = false;
                        }
                    }
                    seen = posted;
                    task.run();
                    done = seen;
                }
            }, "floor-helper");
            helper.setDaemon(true);
            helper.start();
        }

        void run(Runnable mine, Runnable other) {
            task = other;
            int n = posted + 1;
            posted = n;
            if (parked) LockSupport.unpark(helper);
            mine.run();
            while (done != n) Thread.onSpinWait();
        }
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[] threads = Arrays.stream((args.length > 2 ? args[2] : "1,2").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        String core = System.getenv().getOrDefault("OPENBLAS_CORETYPE", "");
        boolean correct = BlasCheck.verified();
        MlpGemmFloor[] layouts = {new MlpGemmFloor(false, false), new MlpGemmFloor(true, false), new MlpGemmFloor(false, true)};
        String[] names = {"ndopt", "torch", "ndopt-split"};
        String splitError = layouts[2].differenceFrom(layouts[0]);
        if (splitError != null) throw new IllegalStateException("split products differ from whole ones: " + splitError);
        List<double[]>[][] fwd = samples(layouts.length, threads.length), bwd = samples(layouts.length, threads.length),
                all = samples(layouts.length, threads.length);
        for (int r = 0; r < rounds; r++) {
            for (int ti = 0; ti < threads.length; ti++) {
                for (int li = 0; li < layouts.length; li++) {
                    MlpGemmFloor f = layouts[li];
                    if (f.split != null && threads[ti] != 2) continue;
                    Threads.apply(new Threads.Split(1, f.split != null ? 1 : threads[ti]));
                    double[] tf = new double[steps], tb = new double[steps], ta = new double[steps];
                    for (int s = -steps / 4; s < steps; s++) {
                        long t0 = System.nanoTime();
                        f.forward();
                        long t1 = System.nanoTime();
                        f.backward();
                        long t2 = System.nanoTime();
                        if (s >= 0) {
                            tf[s] = (t1 - t0) / 1e6;
                            tb[s] = (t2 - t1) / 1e6;
                            ta[s] = (t2 - t0) / 1e6;
                        }
                    }
                    fwd[li][ti].add(tf);
                    bwd[li][ti].add(tb);
                    all[li][ti].add(ta);
                }
            }
        }
        for (int li = 0; li < layouts.length; li++) {
            for (int ti = 0; ti < threads.length; ti++) {
                if (all[li][ti].isEmpty()) continue;
                double ms = median(all[li][ti]);
                System.out.printf(Locale.ROOT, "{\"blas\": \"nd4j-openblas\", \"coretype\": \"%s\", \"correct\": %b, "
                        + "\"layout\": \"%s\", \"threads\": %d, \"forward_ms\": %.4f, \"backward_ms\": %.4f, "
                        + "\"gemm_ms\": %.4f, \"gflops\": %.1f, \"rounds_ms\": %s}%n",
                        core.isEmpty() ? "auto" : core, correct, names[li], threads[ti],
                        median(fwd[li][ti]), median(bwd[li][ti]), ms, MFLOP / ms, roundMedians(all[li][ti]));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<double[]>[][] samples(int a, int b) {
        List<double[]>[][] s = new List[a][b];
        for (List<double[]>[] row : s) for (int j = 0; j < b; j++) row[j] = new ArrayList<>();
        return s;
    }

    private static double median(List<double[]> rounds) {
        double[] all = rounds.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        return all[all.length / 2];
    }

    private static String roundMedians(List<double[]> rounds) {
        StringBuilder b = new StringBuilder("[");
        for (double[] r : rounds) {
            if (b.length() > 1) b.append(", ");
            b.append(String.format(Locale.ROOT, "%.3f", median(List.of(r))));
        }
        return b.append(']').toString();
    }
}
