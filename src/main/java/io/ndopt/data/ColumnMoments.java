package io.ndopt.data;

/**
 * Per-column count, mean and sum of squared deviations {@code M2} in float64, accumulated one row at a time
 * (Welford 1962: {@code δ = x − mean; mean += δ / n; M2 += δ · (x − mean)}) and merged across parts
 * (Chan, Golub and LeVeque 1979: {@code δ = meanB − meanA; mean = meanA + δ·nB/n;
 * M2 = M2A + M2B + δ²·nA·nB/n}). The population variance is {@code M2 / n}. Both run on shifted values
 * {@code x − K} with K the column's first value (shared by every part merged): a column of values near 1e8 with a
 * spread of 0.1 then loses nothing to the offset; the result matches exact arithmetic to ~1e-15 relative.
 */
final class ColumnMoments {
    long n;
    private final double[] shift;       // K per column, set by the first row any part of a family sees
    private final boolean[] shifted;
    final double[] mean;                // of x − K until read through mean(j)
    final double[] m2;

    ColumnMoments(int columns) { this(new double[columns], new boolean[1]); }

    /** Empty moments over the same shift as {@code family}, to be merged into it. */
    ColumnMoments(ColumnMoments family) { this(family.shift, family.shifted); }

    private ColumnMoments(double[] shift, boolean[] shifted) {
        this.shift = shift;
        this.shifted = shifted;
        mean = new double[shift.length];
        m2 = new double[shift.length];
    }

    /** Adds one row, {@code v[at .. at + columns)}. */
    void add(double[] v, int at) {
        if (!shifted[0]) {
            System.arraycopy(v, at, shift, 0, shift.length);
            shifted[0] = true;
        }
        n++;
        for (int j = 0; j < mean.length; j++) {
            double x = v[at + j] - shift[j];
            double d = x - mean[j];
            mean[j] += d / n;
            m2[j] += d * (x - mean[j]);
        }
    }

    /** The mean of column {@code j}. */
    double mean(int j) { return shift[j] + mean[j]; }

    /** Merges {@code o} (the moments of other rows, over the same shift) into these. */
    void merge(ColumnMoments o) {
        if (o.n == 0) return;
        if (n == 0) {
            n = o.n;
            System.arraycopy(o.mean, 0, mean, 0, mean.length);
            System.arraycopy(o.m2, 0, m2, 0, m2.length);
            return;
        }
        long total = n + o.n;
        for (int j = 0; j < mean.length; j++) {
            double d = o.mean[j] - mean[j];
            mean[j] += d * o.n / total;
            m2[j] += o.m2[j] + d * d * ((double) n * o.n / total);
        }
        n = total;
    }

    /** The population standard deviation of column {@code j} (ddof 0). */
    double std(int j) { return n == 0 ? 0 : Math.sqrt(m2[j] / n); }
}
