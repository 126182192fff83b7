package io.ndopt.glm;

/**
 * The least-squares problem the solvers see: {@code (1/(2n))‖ỹ − X̃β‖²} with rows scaled by
 * {@code sqrt(w̃ᵢ)} (weights rescaled to sum to n), columns centred on their weighted means and,
 * when standardizing, divided by their weighted population standard deviation; {@code ỹ} centred
 * the same way. Fitting the intercept is then exact: {@code b = ȳ − Σ_j m_j·w_j} in original
 * units, and it is never penalized.
 */
final class Prepared {
    final int n, p;
    final double[] x;      // column-major n×p, centred, scaled, row-weighted; null when only the Gram matrix is kept
    final double[] gram;   // X̃ᵀX̃/n (p×p) when built with gramOnly, else null
    final double[] xy;     // X̃ᵀỹ/n
    final double[] y;      // centred, row-weighted
    final double[] mean;   // weighted column means (original units)
    final double[] scale;  // column divisor: weighted std when standardizing, else 1
    final double[] diag;   // ‖x̃_j‖²/n: 1 for a standardized non-constant column, 0 for a constant one
    final double yMean, yy; // weighted mean of y; ‖ỹ‖²/n (the weighted variance of y)
    final double weightSum; // Σ wᵢ as given (n when unweighted)

    Prepared(Design d, boolean standardize) { this(d, standardize, false); }

    /**
     * @param gramOnly keep {@link #gram} instead of X̃ (covariance mode): with OpenBLAS the columns go
     *                 straight to an off-heap buffer for {@code dsyrk} and no n×p heap copy is made
     */
    Prepared(Design d, boolean standardize, boolean gramOnly) {
        n = d.n();
        p = d.p();
        double[] sw = new double[n];
        double wsum = 0;
        for (int i = 0; i < n; i++) wsum += d.weight(i);
        weightSum = wsum;
        for (int i = 0; i < n; i++) sw[i] = d.weight(i) * n / wsum;   // Σ w̃ = n
        double ym = 0;
        for (int i = 0; i < n; i++) ym += sw[i] * d.y()[i];
        yMean = ym / n;
        y = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            y[i] = Math.sqrt(sw[i]) * (d.y()[i] - yMean);
            s += y[i] * y[i];
        }
        yy = s / n;
        for (int i = 0; i < n; i++) sw[i] = Math.sqrt(sw[i]);
        boolean offHeap = gramOnly && Gram.usesBlas();
        x = offHeap ? null : new double[n * p];
        mean = new double[p];
        scale = new double[p];
        diag = new double[p];
        xy = new double[p];
        double[] src = d.x(), col = new double[n];
        try (Gram.Buffer buf = offHeap ? new Gram.Buffer(n, p) : null) {
            for (int j = 0; j < p; j++) {
                int o = j * n;
                // moments of the column divided by a power of two near its largest |value| (exact), so that
                // neither ×1e-150 (a variance below any absolute threshold) nor ×1e200 (squares overflowing) loses it
                double f = powerOfTwoScale(d, j);
                double m = 0;
                for (int i = 0; i < n; i++) m += sw[i] * sw[i] * (src[o + i] * f);
                m /= n;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    double v = sw[i] * (src[o + i] * f - m);
                    col[i] = v;
                    ss += v * v;
                }
                mean[j] = m / f;
                double var = ss / n;
                // a column constant up to rounding (relative to its largest value) carries no signal: zero it so
                // its coefficient stays 0
                boolean constant = !(var > 1e-26 * Math.max(1.0, m * m));
                double sc = constant ? 1.0 : standardize ? Math.sqrt(var) : f;   // divisor in scaled units
                scale[j] = constant ? 1.0 : originalScale(d, j, sc / f, standardize);
                double d2 = 0, c = 0;
                for (int i = 0; i < n; i++) {
                    double v = constant ? 0 : col[i] / sc;
                    col[i] = v;
                    d2 += v * v;
                    c += v * y[i];
                }
                if (!Double.isFinite(d2) || !Double.isFinite(c)) throw unusable(d, j, "its squares overflow"
                        + (standardize ? "" : " without standardization"));
                diag[j] = d2 / n;
                xy[j] = c / n;
                if (offHeap) buf.putColumn(j, col); else System.arraycopy(col, 0, x, o, n);
            }
            gram = !gramOnly ? null : offHeap ? buf.gram() : Gram.reference(x, n, p);
        }
    }

    /**
     * A power of two {@code f} with {@code f·max|x_j|} in [1, 2) (1 for an all-zero column): multiplying by it is
     * exact, and moments of the rescaled column neither overflow nor vanish. A column whose largest |value| is
     * subnormal has no such factor in double precision and is refused by name.
     */
    static double powerOfTwoScale(Design d, int j) {
        double a = 0;
        for (int i = 0; i < d.n(); i++) a = Math.max(a, Math.abs(d.x(i, j)));
        if (a == 0) return 1.0;
        if (a < Double.MIN_NORMAL) {
            throw unusable(d, j, "its largest |value| " + a + " is below the smallest normal double");
        }
        return Math.scalb(1.0, -Math.getExponent(a));
    }

    /**
     * The column divisor in original units, {@code scaled / f}: refused by name when it is not a normal double
     * (coefficients in original units would be infinite or lose their precision).
     */
    static double originalScale(Design d, int j, double s, boolean standardize) {
        if (!(s >= Double.MIN_NORMAL) || !Double.isFinite(s)) {
            throw unusable(d, j, "its standard deviation " + s + " is not a normal double"
                    + (standardize ? "" : " (try standardizing)"));
        }
        return s;
    }

    static UnusableFeatureException unusable(Design d, int j, String why) {
        return new UnusableFeatureException(d.names().get(j), why);
    }

    /** A Gram-only problem from its moments (see {@link FoldMoments}); X̃ and ỹ themselves are not kept. */
    Prepared(int n, double[] gram, double[] xy, double[] mean, double[] scale, double[] diag, double yMean, double yy,
            double weightSum) {
        this.n = n;
        this.p = xy.length;
        this.x = null;
        this.y = null;
        this.gram = gram;
        this.xy = xy;
        this.mean = mean;
        this.scale = scale;
        this.diag = diag;
        this.yMean = yMean;
        this.yy = yy;
        this.weightSum = weightSum;
    }

    /** Coefficients in original units from the solver's β. */
    double[] originalCoef(double[] beta) {
        double[] w = new double[p];
        for (int j = 0; j < p; j++) w[j] = beta[j] / scale[j];
        return w;
    }

    double intercept(double[] coef) {
        double b = yMean;
        for (int j = 0; j < p; j++) b -= mean[j] * coef[j];
        return b;
    }
}
