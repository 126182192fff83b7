package io.ndopt.glm;

/** Solves {@code A·x = b} for a symmetric positive-definite A (row-major m×m) by {@code A = LLᵀ}. */
final class Cholesky {
    private Cholesky() {}

    /** @throws IllegalArgumentException if A is not positive definite (to working precision) */
    static double[] solve(double[] a, int m, double[] b) {
        double[] l = new double[m * m];
        for (int j = 0; j < m; j++) {
            double s = a[j * m + j];
            for (int k = 0; k < j; k++) s -= l[j * m + k] * l[j * m + k];
            if (!(s > 0)) {
                throw new IllegalArgumentException("matrix is not positive definite (pivot " + j + " = " + s + ")");
            }
            double ljj = Math.sqrt(s);
            l[j * m + j] = ljj;
            for (int i = j + 1; i < m; i++) {
                double t = a[i * m + j];
                int oi = i * m, oj = j * m;
                for (int k = 0; k < j; k++) t -= l[oi + k] * l[oj + k];
                l[oi + j] = t / ljj;
            }
        }
        double[] x = b.clone();
        for (int i = 0; i < m; i++) {             // L z = b
            double t = x[i];
            for (int k = 0; k < i; k++) t -= l[i * m + k] * x[k];
            x[i] = t / l[i * m + i];
        }
        for (int i = m - 1; i >= 0; i--) {        // Lᵀ x = z
            double t = x[i];
            for (int k = i + 1; k < m; k++) t -= l[k * m + i] * x[k];
            x[i] = t / l[i * m + i];
        }
        return x;
    }
}
