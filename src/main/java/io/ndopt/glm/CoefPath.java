package io.ndopt.glm;

import java.util.Arrays;
import java.util.List;

/**
 * A fitted regularization path: for each {@code lambdas[k]} (scikit-learn's α of {@code spec.model()},
 * descending) the coefficients {@code coef[k]} and {@code intercept[k]} in the data's original
 * units. {@code gaps[k]} is the final duality gap of the {@code 1/(2n)} objective (0 for closed-form
 * ridge), {@code sweeps[k]} the coordinate-descent sweeps used, {@code converged[k]} whether the gap
 * met the tolerance within the sweep limit.
 */
public record CoefPath(PathSpec spec, List<String> names, double[] lambdas, double[][] coef, double[] intercept,
                       double[] gaps, int[] sweeps, boolean[] converged) {
    public CoefPath {
        int k = lambdas.length;
        if (coef.length != k || intercept.length != k || gaps.length != k || sweeps.length != k
                || converged.length != k) {
            throw new IllegalArgumentException("path arrays must all have one entry per lambda (" + k + ")");
        }
        names = List.copyOf(names);
    }

    public int size() { return lambdas.length; }

    /** Exact zeros in {@code coef[k]}. */
    public int zeroCount(int k) {
        int z = 0;
        for (double c : coef[k]) if (c == 0.0) z++;
        return z;
    }

    /** Predictions of the model at {@code lambdas[k]} for every row of {@code d}. */
    public double[] predict(Design d, int k) {
        if (d.p() != coef[k].length) {
            throw new IllegalArgumentException("design has " + d.p() + " features, path has " + coef[k].length);
        }
        double[] out = new double[d.n()];
        Arrays.fill(out, intercept[k]);
        for (int j = 0; j < d.p(); j++) {
            double w = coef[k][j];
            if (w == 0) continue;
            for (int i = 0; i < d.n(); i++) out[i] += w * d.x()[j * d.n() + i];
        }
        return out;
    }

    /** Weighted mean squared error {@code Σwᵢ(yᵢ − ŷᵢ)²/Σwᵢ} on {@code d} at every λ. */
    public double[] mse(Design d) {
        double[] out = new double[size()];
        double wsum = 0;
        for (int i = 0; i < d.n(); i++) wsum += d.weight(i);
        for (int k = 0; k < size(); k++) {
            double[] yh = predict(d, k);
            double s = 0;
            for (int i = 0; i < d.n(); i++) s += d.weight(i) * (d.y()[i] - yh[i]) * (d.y()[i] - yh[i]);
            out[k] = s / wsum;
        }
        return out;
    }

    /** Weighted R² on {@code d} at every λ: {@code 1 − SSE/SST}, SST about d's own weighted mean of y. */
    public double[] r2(Design d) {
        // both sums in units of a power of two near max|y|: the ratio is scale-free, and y ×1e200 does not overflow
        double ymax = 0;
        for (int i = 0; i < d.n(); i++) ymax = Math.max(ymax, Math.abs(d.y()[i]));
        double unit = ymax > 0 && Double.isFinite(ymax) ? Math.scalb(1.0, Math.getExponent(ymax)) : 1;
        double wsum = 0, ym = 0;
        for (int i = 0; i < d.n(); i++) { wsum += d.weight(i); ym += d.weight(i) * (d.y()[i] / unit); }
        ym /= wsum;
        double sst = 0;
        for (int i = 0; i < d.n(); i++) sst += d.weight(i) * (d.y()[i] / unit - ym) * (d.y()[i] / unit - ym);
        double[] out = new double[size()];
        for (int k = 0; k < size(); k++) {
            double[] yh = predict(d, k);
            double sse = 0;
            for (int i = 0; i < d.n(); i++) sse += d.weight(i) * ((d.y()[i] - yh[i]) / unit) * ((d.y()[i] - yh[i]) / unit);
            out[k] = 1 - sse / sst;
        }
        return out;
    }
}
