package io.ndopt.glm;

import java.util.concurrent.ConcurrentLinkedDeque;
import org.bytedeco.javacpp.DoublePointer;

/**
 * The scaled Gram matrix {@code G = X̃ᵀX̃ / n} (p×p, symmetric, stored full) that coordinate descent
 * in covariance mode reads instead of the data. One BLAS {@code dsyrk} (OpenBLAS, through the
 * JavaCPP binding ND4J already ships) does the n·p² multiply-adds; {@link #reference} is the plain
 * Java loop it is tested against and the fallback when OpenBLAS cannot be loaded.
 */
final class Gram {
    private static final boolean BLAS = probe();

    private Gram() {}

    static double[] compute(double[] x, int n, int p) {
        return BLAS ? blas(x, n, p) : reference(x, n, p);
    }

    /** Whether {@link #compute} runs on OpenBLAS. */
    static boolean usesBlas() { return BLAS; }

    static double[] reference(double[] x, int n, int p) {
        double[] g = new double[p * p];
        for (int j = 0; j < p; j++) {
            for (int k = j; k < p; k++) {
                double s0 = 0, s1 = 0;
                int a = j * n, b = k * n, i = 0;
                for (; i + 1 < n; i += 2) { s0 += x[a + i] * x[b + i]; s1 += x[a + i + 1] * x[b + i + 1]; }
                if (i < n) s0 += x[a + i] * x[b + i];
                g[j * p + k] = g[k * p + j] = (s0 + s1) / n;
            }
        }
        return g;
    }

    static double[] blas(double[] x, int n, int p) {
        try (Buffer b = new Buffer(n, p)) {
            b.a.put(x, 0, n * p);
            return b.gram();
        }
    }

    /**
     * An off-heap column-major n×p matrix filled column by column, then multiplied by {@code dsyrk}.
     * The memory comes from a small pool and goes back to it on {@link #close}: first-touching tens
     * of MB of fresh pages costs more than the multiply itself on a busy machine, and paths are
     * usually fitted many times (CV folds, repeated fits). At most {@value #POOLED} buffers are kept.
     */
    static final class Buffer implements AutoCloseable {
        static final int POOLED = 4;
        private static final ConcurrentLinkedDeque<DoublePointer> POOL = new ConcurrentLinkedDeque<>();
        private final DoublePointer a;
        private final int n, p;

        Buffer(int n, int p) {
            this.n = n;
            this.p = p;
            long need = (long) n * p;
            DoublePointer got = null;
            for (DoublePointer c : POOL) if (c.capacity() >= need && POOL.remove(c)) { got = c; break; }
            a = got != null ? got : new DoublePointer(need);
        }

        void putColumn(int j, double[] col) { a.position((long) j * n).put(col, 0, n); a.position(0); }

        double[] gram() { return gram(1.0 / n); }

        /** {@code scale·AᵀA}, full p×p. */
        double[] gram(double scale) {
            double[] g = new double[p * p];
            try (DoublePointer c = new DoublePointer((long) p * p)) {
                // C := scale·AᵀA (upper triangle, column-major)
                org.bytedeco.openblas.global.openblas_nolapack.cblas_dsyrk(102 /*ColMajor*/,
                        121 /*Upper*/, 112 /*Trans*/,
                        p, n, scale, a, n, 0.0, c, p);
                c.get(g);
            }
            // upper (row k < j of column j) to lower
            for (int j = 0; j < p; j++) for (int k = 0; k < j; k++) g[k * p + j] = g[j * p + k];
            return g;
        }

        @Override public void close() {
            a.position(0);
            POOL.addFirst(a);
            while (POOL.size() > POOLED) {
                DoublePointer smallest = null;
                for (DoublePointer c : POOL) if (smallest == null || c.capacity() < smallest.capacity()) smallest = c;
                if (smallest != null && POOL.remove(smallest)) smallest.close();
            }
        }
    }

    private static boolean probe() {
        try {
            double[] g = blas(new double[] {1, 2, 3, 4}, 2, 2);
            return Math.abs(g[1] - 5.5) < 1e-12 && Math.abs(g[3] - 12.5) < 1e-12;
        } catch (Throwable t) {   // no OpenBLAS binding on the classpath (CUDA build) or no native library
            return false;
        }
    }
}
