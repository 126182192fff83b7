package io.ndopt.glm;

/**
 * The Gram matrices of all k cross-validation training sets for the price of one. Rows are shifted
 * by the full-data column means {@code m0} (so large offsets never cancel) and weighted; each fold's
 * second moments {@code T_f = Σ_{i∈f} wᵢ zᵢzᵢᵀ} take one {@code dsyrk} over that fold's rows, and the
 * training set without fold f has {@code S = Σ_g T_g − T_f}. Centring on the training set's own
 * weighted mean μ is the rank-one correction {@code C = S − W·μμᵀ}, and standardizing divides by the
 * training standard deviations {@code s_j = sqrt(C_jj/W)}: {@code G = C / (W·s sᵀ)}, exactly the
 * {@link Prepared} Gram matrix of that training set. Same for {@code X̃ᵀỹ} and {@code ‖ỹ‖²}.
 */
final class FoldMoments {
    private FoldMoments() {}

    static Prepared[] prepare(Design d, Folds folds, boolean standardize) {
        int n = d.n(), p = d.p(), k = folds.k();
        double[] m0 = new double[p];
        double y0 = 0;
        for (int i = 0; i < n; i++) y0 += d.y()[i] / n;
        double[] fs = new double[p];   // per-column power of two (Prepared.powerOfTwoScale): moments in scaled units
        for (int j = 0; j < p; j++) {
            fs[j] = Prepared.powerOfTwoScale(d, j);
            double s = 0;
            for (int i = 0; i < n; i++) s += d.x(i, j) * fs[j];
            m0[j] = s / n;
        }
        double[][] t = new double[k][], u = new double[k][p], v = new double[k][p];
        double[] w = new double[k], sy = new double[k], syy = new double[k];
        int[] nf = new int[k];
        for (int f = 0; f < k; f++) {
            int[] rows = folds.rows(f, true);
            nf[f] = rows.length;
            double[] col = new double[rows.length], sw = new double[rows.length], yc = new double[rows.length];
            for (int r = 0; r < rows.length; r++) {
                double wi = d.weight(rows[r]);
                sw[r] = Math.sqrt(wi);
                yc[r] = d.y()[rows[r]] - y0;
                w[f] += wi;
                sy[f] += wi * yc[r];
                syy[f] += wi * yc[r] * yc[r];
            }
            try (Gram.Buffer buf = new Gram.Buffer(rows.length, p)) {
                for (int j = 0; j < p; j++) {
                    double su = 0, sv = 0;
                    for (int r = 0; r < rows.length; r++) {
                        double z = d.x(rows[r], j) * fs[j] - m0[j];
                        su += sw[r] * sw[r] * z;
                        sv += sw[r] * sw[r] * z * yc[r];
                        col[r] = sw[r] * z;
                    }
                    u[f][j] = su;
                    v[f][j] = sv;
                    buf.putColumn(j, col);
                }
                t[f] = buf.gram(1.0);
            }
        }
        Prepared[] out = new Prepared[k];
        for (int g = 0; g < k; g++) out[g] = training(d, g, t, u, v, w, sy, syy, n - nf[g], m0, fs, y0, standardize);
        return out;
    }

    /** Training set without fold {@code f}; {@code m0} and all moments are in the units of {@code x_j·fs_j}. */
    private static Prepared training(Design d, int f, double[][] t, double[][] u, double[][] v, double[] w,
            double[] sy, double[] syy, int nTrain, double[] m0, double[] fs, double y0, boolean standardize) {
        int p = m0.length, k = t.length;
        double wt = 0, syt = 0, syyt = 0;
        double[] ut = new double[p], vt = new double[p], c = new double[p * p];
        for (int g = 0; g < k; g++) {
            if (g == f) continue;
            wt += w[g]; syt += sy[g]; syyt += syy[g];
            for (int j = 0; j < p; j++) { ut[j] += u[g][j]; vt[j] += v[g][j]; }
            for (int q = 0; q < p * p; q++) c[q] += t[g][q];
        }
        if (!(wt > 0)) throw new IllegalArgumentException("the training rows of fold " + f + " have zero total weight");
        double ym = syt / wt;
        double[] mu = new double[p], scale = new double[p], diag = new double[p], xy = new double[p],
                mean = new double[p];
        for (int j = 0; j < p; j++) { mu[j] = ut[j] / wt; mean[j] = m0[j] + mu[j]; }
        for (int j = 0; j < p; j++) {
            for (int q = 0; q < p; q++) c[j * p + q] -= wt * mu[j] * mu[q];
            double var = c[j * p + j] / wt;
            boolean constant = !(var > 1e-26 * Math.max(1.0, mean[j] * mean[j]));
            scale[j] = constant ? Double.NaN : standardize ? Math.sqrt(var) : fs[j];     // scaled units
        }
        for (int j = 0; j < p; j++) {
            boolean cj = Double.isNaN(scale[j]);
            for (int q = 0; q < p; q++) {
                c[j * p + q] = cj || Double.isNaN(scale[q]) ? 0 : c[j * p + q] / (wt * scale[j] * scale[q]);
            }
            diag[j] = c[j * p + j];
            xy[j] = cj ? 0 : (vt[j] - wt * mu[j] * ym) / (wt * scale[j]);
            if (!Double.isFinite(diag[j]) || !Double.isFinite(xy[j])) {
                throw Prepared.unusable(d, j, "its squares overflow" + (standardize ? "" : " without standardization"));
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= fs[j];
            scale[j] = Double.isNaN(scale[j]) ? 1.0 : Prepared.originalScale(d, j, scale[j] / fs[j], standardize);
        }
        double yy = (syyt - wt * ym * ym) / wt;
        return new Prepared(nTrain, c, xy, mean, scale, diag, y0 + ym, yy, wt);
    }
}
