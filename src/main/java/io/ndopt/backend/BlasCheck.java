package io.ndopt.backend;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Verifies the live OpenBLAS kernels: products of the shapes a dense network uses (and ragged ones
 * that exercise the kernels' edge code) in float and double, every transpose combination, against a
 * plain Java triple loop in double. OpenBLAS picks its kernels per CPU ({@code OPENBLAS_CORETYPE}
 * overrides the pick) and some builds compute wrong results on some CPUs, so the network path runs
 * this once per process before its first product ({@link #verified()}).
 *
 * <p>{@code main} prints one JSON line (correctness and the median time of a 784-256-256-10 step's
 * five products at batch 128); {@code benchmarks/blas-coretypes} runs it once per core type, each in
 * its own process because OpenBLAS reads the core type when it loads.
 */
public final class BlasCheck {
    private static Boolean verified;
    private static String failure;

    private BlasCheck() {}

    /** Runs the check on first call; true if every product matched. */
    public static synchronized boolean verified() {
        if (verified == null) {
            failure = firstMismatch(false);
            verified = failure == null;
        }
        return verified;
    }

    /** What went wrong, or null when {@link #verified()} passed. */
    public static synchronized String failure() {
        verified();
        return failure;
    }

    /** Relative tolerance of a product against the double loop: float accumulation error grows with k. */
    private static double tolerance(DataType dt, int k) {
        return (dt == DataType.FLOAT ? 1e-6 : 1e-14) * Math.sqrt(k) * 8;
    }

    /**
     * Null if all products match; else a sentence naming the first wrong one. The quick set (~20 ms,
     * run in-process) still crosses OpenBLAS's blocking and edge code; {@code full} adds the network's
     * largest product.
     */
    static String firstMismatch(boolean full) {
        int[][] shapes = full ? new int[][] {{128, 256, 784}, {128, 10, 256}, {96, 80, 300}, {37, 19, 61},
                {1, 5, 3}, {65, 33, 17}}
                : new int[][] {{96, 80, 300}, {128, 10, 64}, {37, 19, 61}, {1, 5, 3}, {65, 33, 17}};
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    double err = relativeError(dt, ta, tb, s[0], s[1], s[2], 17 + t);
                    if (!(err <= tolerance(dt, s[2]))) {
                        return String.format(Locale.ROOT,
                                "%s gemm %dx%dx%d (transA %b, transB %b) is off by %.3g relative", dt, s[0], s[1],
                                s[2], ta, tb, err);
                    }
                }
            }
        }
        return null;
    }

    /** max |C − C_ref| / max |C_ref| for C = op(A)·op(B), A and B uniform in [−1, 1). */
    static double relativeError(DataType dt, boolean ta, boolean tb, int m, int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = r.doubles((long) m * k, -1, 1).toArray(), b = r.doubles((long) k * n, -1, 1).toArray();
        INDArray A = Nd4j.createFromArray(a).reshape('c', ta ? k : m, ta ? m : k).castTo(dt);
        INDArray B = Nd4j.createFromArray(b).reshape('c', tb ? n : k, tb ? k : n).castTo(dt);
        double[] ad = A.castTo(DataType.DOUBLE).data().asDouble(), bd = B.castTo(DataType.DOUBLE).data().asDouble();
        INDArray C = Nd4j.create(dt, m, n);
        Blas.gemm(dt, ta, tb, m, n, k, Blas.pointer(A), Blas.pointer(B), 0, Blas.pointer(C));
        double[] c = C.castTo(DataType.DOUBLE).data().asDouble();
        double maxErr = 0, maxRef = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? ad[p * m + i] : ad[i * k + p]) * (tb ? bd[j * k + p] : bd[p * n + j]);
                }
                maxErr = Math.max(maxErr, Math.abs(c[i * n + j] - s));
                maxRef = Math.max(maxRef, Math.abs(s));
            }
        }
        return maxErr / Math.max(maxRef, 1e-300);
    }

    /**
     * Median ms of the five float products of one 784-256-256-10 training step at batch 128 (input gradient skipped).
     */
    static double stepGemmMillis(int repeats) {
        int[][] p = {{128, 256, 784, 0}, {128, 256, 256, 0}, {128, 10, 256, 0},      // forward
                     {256, 10, 128, 1}, {256, 256, 128, 1}, {784, 256, 128, 1},       // dW = xᵀ·dZ
                     {128, 256, 10, 2}, {128, 256, 256, 2}};                          // dx = dZ·Wᵀ (layers 3, 2)
        INDArray[][] abc = new INDArray[p.length][];
        for (int i = 0; i < p.length; i++) {
            int m = p[i][0], n = p[i][1], k = p[i][2];
            abc[i] = new INDArray[] {Nd4j.rand(DataType.FLOAT, p[i][3] == 1 ? k : m, p[i][3] == 1 ? m : k),
                    Nd4j.rand(DataType.FLOAT, p[i][3] == 2 ? n : k, p[i][3] == 2 ? k : n),
                    Nd4j.create(DataType.FLOAT, m, n)};
        }
        double[] t = new double[repeats];
        for (int r = -repeats / 4; r < repeats; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < p.length; i++) {
                Blas.gemm(DataType.FLOAT, p[i][3] == 1, p[i][3] == 2, p[i][0], p[i][1], p[i][2],
                        Blas.pointer(abc[i][0]), Blas.pointer(abc[i][1]), 0, Blas.pointer(abc[i][2]));
            }
            if (r >= 0) t[r] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[repeats / 2];
    }

    /** The probe and benchmark entry point ({@code io.ndopt.internal.cli.BlasProbe} runs it in a process of its own). */
    public static void run(String[] args) {
        if (args.length > 0 && args[0].equals("--probe")) {          // Blas.kernels(): OpenBLAS prints its core at load
            relativeError(DataType.FLOAT, false, false, 2, 2, 2, 1);
            return;
        }
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        if (args.length > 1) Threads.apply(Threads.Split.parse(args[1]));
        String bad = firstMismatch(true);
        System.out.printf(Locale.ROOT,
                "{\"correct\": %b, \"failure\": %s, \"step_gemm_ms\": %.4f, \"threads\": \"%s\"}%n",
                bad == null, bad == null ? "null" : "\"" + bad + "\"", stepGemmMillis(repeats), Threads.describe());
    }
}
