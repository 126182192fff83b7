package io.ndopt.glm;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Optimality conditions of the elastic net computed from scratch on the original data (independent
 * of the solver's internals). With weights normalized to sum 1, residual {@code r = y − Xw − b},
 * column scale {@code s_j} (weighted population sd when standardizing, else 1) and standardized
 * coefficient {@code β_j = s_j·w_j}, the gradient of the loss part is {@code g_j = Σwᵢx_ij rᵢ / s_j}.
 * At the optimum: {@code Σwᵢrᵢ = 0}; {@code g_j − l2_jβ_j = l1_j·sign(β_j)} where {@code β_j ≠ 0};
 * {@code |g_j| ≤ l1_j} (or {@code g_j ≤ l1_j} when non-negative) where {@code β_j = 0}.
 */
final class Kkt {
    private Kkt() {}

    /** Largest violation of the conditions above at {@code coef, b} for the 1/(2n) objective at {@code lambda}. */
    static double maxViolation(Design d, PathSpec s, double lambda, double[] coef, double b) {
        int n = d.n(), p = d.p();
        double wsum = 0;
        for (int i = 0; i < n; i++) wsum += d.weight(i);
        double[] r = new double[n];
        double rsum = 0;
        for (int i = 0; i < n; i++) {
            double f = b;
            for (int j = 0; j < p; j++) f += d.x(i, j) * coef[j];
            r[i] = d.y()[i] - f;
            rsum += d.weight(i) * r[i] / wsum;
        }
        double worst = Math.abs(rsum);
        double[] v = s.penaltyFactors() == null ? ones(p) : s.penaltyFactors();
        for (int j = 0; j < p; j++) {
            double m = 0, var = 0, g = 0;
            for (int i = 0; i < n; i++) m += d.weight(i) * d.x(i, j) / wsum;
            for (int i = 0; i < n; i++) var += d.weight(i) * (d.x(i, j) - m) * (d.x(i, j) - m) / wsum;
            double sc = s.standardize() ? Math.sqrt(var) : 1;
            for (int i = 0; i < n; i++) g += d.weight(i) * d.x(i, j) * r[i] / wsum;
            g /= sc;
            double beta = coef[j] * sc;
            double l1 = lambda * s.l1Ratio() * v[j], l2 = lambda * (1 - s.l1Ratio()) * v[j];
            double viol;
            if (beta > 0) viol = Math.abs(g - l2 * beta - l1);
            else if (beta < 0) viol = s.nonNegative() ? Double.POSITIVE_INFINITY : Math.abs(g - l2 * beta + l1);
            else viol = Math.max(0, (s.nonNegative() ? g : Math.abs(g)) - l1);
            worst = Math.max(worst, viol);
        }
        return worst;
    }

    static double[] ones(int p) {
        double[] v = new double[p];
        Arrays.fill(v, 1);
        return v;
    }

    /** Random data with shifted, scaled columns, a sparse truth and noise. */
    static Design random(long seed, int n, int p, boolean weighted) {
        Random rnd = new Random(seed);
        double[][] x = new double[n][p];
        double[] scale = new double[p], shift = new double[p], y = new double[n];
        for (int j = 0; j < p; j++) { scale[j] = 0.5 + 3 * rnd.nextDouble(); shift[j] = 10 * rnd.nextDouble() - 5; }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) x[i][j] = shift[j] + scale[j] * rnd.nextGaussian();
            y[i] = 3 + rnd.nextGaussian();
            for (int j = 0; j < Math.min(p, 4); j++) y[i] += (j % 2 == 0 ? 1.5 : -2) * x[i][j];
        }
        double[] w = null;
        if (weighted) { w = new double[n]; for (int i = 0; i < n; i++) w[i] = 0.2 + 2 * rnd.nextDouble(); }
        return Design.ofRows(x, y, w, IntStream.range(0, p).mapToObj(j -> "x" + j).toList());
    }
}
