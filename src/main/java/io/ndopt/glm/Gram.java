package io.ndopt.glm;

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
        double[] g = new double[p * p];
        try (DoublePointer a = new DoublePointer(x); DoublePointer c = new DoublePointer((long) p * p)) {
            // C := (1/n)·AᵀA with A = x (n×p, column-major): upper triangle, column-major
            org.bytedeco.openblas.global.openblas_nolapack.cblas_dsyrk(102 /*ColMajor*/, 121 /*Upper*/, 112 /*Trans*/,
                    p, n, 1.0 / n, a, n, 0.0, c, p);
            c.get(g);
        }
        for (int j = 0; j < p; j++) for (int k = 0; k < j; k++) g[k * p + j] = g[j * p + k]; // upper (row k < j of column j) to lower
        return g;
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
