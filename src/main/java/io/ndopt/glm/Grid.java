package io.ndopt.glm;

/**
 * λ grids in scikit-learn's α units. The default is scikit-learn's and glmnet's: {@code count}
 * values log-spaced from λ_max (the smallest α at which every coefficient is 0) down to
 * {@code ratio·λ_max}. For the lasso/elastic net {@code λ_max = max_j |x̃_jᵀỹ| / (n·ρ·v_j)} over
 * penalized features (scikit-learn's {@code _alpha_grid}; {@code max_j x̃_jᵀỹ} when non-negative).
 * Ridge never zeroes a coefficient, so its default grid is centred on the data's scale instead:
 * α from {@code 10³} to {@code 10⁻³} times {@code Σwᵢ·mean_j d_j} (for standardized features,
 * 1000·n down to 0.001·n), where the penalty goes from dominating to negligible.
 */
public final class Grid {
    public static final int DEFAULT_COUNT = 100;
    public static final double DEFAULT_RATIO = 1e-3;

    private Grid() {}

    /** {@code count} values from {@code max} down to {@code min}, evenly spaced in log. */
    public static double[] logSpaced(double max, double min, int count) {
        if (!(min > 0) || !(max >= min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("log grid needs 0 < min <= max, got min " + min + ", max " + max);
        }
        if (count < 1) throw new IllegalArgumentException("grid count must be >= 1, got " + count);
        double[] a = new double[count];
        double lo = Math.log10(min), hi = Math.log10(max);
        for (int k = 0; k < count; k++) a[k] = count == 1 ? max : Math.pow(10, hi - (hi - lo) * k / (count - 1));
        return a;
    }

    /** Parses {@code MIN:MAX:COUNT} (0 &lt; MIN &lt; MAX, COUNT ≥ 2) into a descending log-spaced grid. */
    public static double[] parse(String spec) {
        String[] f = spec.split(":", -1);
        try {
            if (f.length != 3) throw new NumberFormatException();
            double lo = Double.parseDouble(f[0]), hi = Double.parseDouble(f[1]);
            int count = Integer.parseInt(f[2]);
            if (!(lo > 0) || !(hi > lo) || !Double.isFinite(hi) || count < 2) throw new NumberFormatException();
            return logSpaced(hi, lo, count);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--grid must be MIN:MAX:COUNT with 0 < MIN < MAX and COUNT >= 2, got '"
                    + spec + "'");
        }
    }

    /** The default grid for {@code spec} on {@code data}. */
    public static double[] defaults(Design data, PathSpec spec) {
        return defaults(data, spec, DEFAULT_COUNT, DEFAULT_RATIO);
    }

    public static double[] defaults(Design data, PathSpec spec, int count, double ratio) {
        return defaults(new Prepared(data, spec.standardize()), spec, count, ratio);
    }

    static double[] defaults(Prepared d, PathSpec spec, int count, double ratio) {
        if (!(ratio > 0 && ratio < 1)) throw new IllegalArgumentException("grid ratio must be in (0, 1), got " + ratio);
        if (spec.model() == Model.RIDGE) {
            double mean = 0, wsum = d.weightSum;
            for (double v : d.diag) mean += v / d.p;
            if (!(mean > 0)) throw new IllegalArgumentException("every feature is constant: no ridge grid");
            return logSpaced(1e3 * mean * wsum, 1e-3 * mean * wsum, count);
        }
        double max = lambdaMax(d, spec);
        if (!(max > 0)) {
            throw new IllegalArgumentException("the target is constant or uncorrelated with every penalized feature "
                    + "(lambda_max = 0): give explicit lambdas");
        }
        return logSpaced(max, max * ratio, count);
    }

    static double lambdaMax(Prepared d, PathSpec spec) {
        double[] v = spec.factors(d.p);
        double max = 0;
        for (int j = 0; j < d.p; j++) {
            if (v[j] == 0 || d.diag[j] == 0) continue;
            double c = d.xy[j];
            max = Math.max(max, (spec.nonNegative() ? c : Math.abs(c)) / (spec.l1Ratio() * v[j]));
        }
        return max;
    }
}
