package io.ndopt.glm;

import java.util.Arrays;

/**
 * Entry point: regularization paths and their cross-validation for the lasso, elastic net and ridge.
 * <pre>{@code
 * Design d = Datasets.diabetes();
 * CoefPath path = Glm.path(d, PathSpec.lasso());                      // 100 α from λ_max down to 1e-3·λ_max
 * CvResult cv = Glm.crossValidate(d, PathSpec.lasso(), path.lambdas(), Folds.shuffled(d.n(), 10, 42));
 * Glm.path(d, PathSpec.lasso(), (done, total) -> System.out.println(done + "/" + total));  // a PathListener
 * }</pre>
 * Every α is scikit-learn's for the model (see {@link Model}); ndopt's own {@code l1}/{@code l2}
 * (MSE without ½ plus {@code l1‖w‖₁ + (l2/2)‖w‖²}) are {@code l1 = 2αρ}, {@code l2 = 2α(1−ρ)} for
 * the lasso/elastic net and {@code l2 = 2α/n} for ridge.
 */
public final class Glm {
    private Glm() {}

    /** The path over {@link Grid#defaults}. */
    public static CoefPath path(Design data, PathSpec spec) { return path(data, spec, PathListener.NONE); }

    /** The path over {@link Grid#defaults}, telling {@code listener} of each α solved. */
    public static CoefPath path(Design data, PathSpec spec, PathListener listener) {
        Prepared d = prepare(data, spec);
        double[] a = Grid.defaults(d, spec, Grid.DEFAULT_COUNT, Grid.DEFAULT_RATIO);
        return fit(d, data, spec, a, new FitCount(listener, a.length));
    }

    /** The path over {@code alphas} (sorted descending here; each must be > 0). */
    public static CoefPath path(Design data, PathSpec spec, double[] alphas) {
        return path(data, spec, alphas, PathListener.NONE);
    }

    /** The path over {@code alphas}, telling {@code listener} of each α solved. */
    public static CoefPath path(Design data, PathSpec spec, double[] alphas, PathListener listener) {
        double[] a = descending(alphas);
        return fit(prepare(data, spec), data, spec, a, new FitCount(listener, a.length));
    }

    /** k-fold cross-validation of the path over {@code alphas}; folds run in parallel on the available cores. */
    public static CvResult crossValidate(Design data, PathSpec spec, double[] alphas, Folds folds) {
        return crossValidate(data, spec, alphas, folds, PathListener.NONE);
    }

    /** The same, telling {@code listener} of each α solved in each fold (folds·α fits in all). */
    public static CvResult crossValidate(Design data, PathSpec spec, double[] alphas, Folds folds,
            PathListener listener) {
        double[] a = descending(alphas);
        return CrossValidation.run(data, spec, a, folds, new FitCount(listener, (long) folds.k() * a.length));
    }

    /**
     * One fold of {@link #crossValidate}, alone (a task of a distributed cross-validation): the mean squared error
     * on fold {@code fold} of the path fitted on the other folds, at each of {@code alphas} (sorted descending here),
     * the same numbers as that fold's row of {@link CvResult#foldMse()}.
     */
    public static double[] foldMse(Design data, PathSpec spec, double[] alphas, Folds folds, int fold) {
        if (fold < 0 || fold >= folds.k()) throw new IllegalArgumentException("fold " + fold + " of " + folds.k());
        if (folds.fold().length != data.n()) {
            throw new IllegalArgumentException("folds cover " + folds.fold().length + " rows, data has " + data.n());
        }
        return CrossValidation.fold(data, spec, descending(alphas), folds, fold,
                CrossValidation.grams(data, spec, folds), FitCount.none());
    }

    /** The cross-validation of {@code alphas} (descending) from every fold's {@link #foldMse} row, in fold order. */
    public static CvResult cvResult(double[] alphas, double[][] foldMse) {
        return CvResult.of(descending(alphas), foldMse);
    }

    /** A path on all the data and its cross-validation over the same α grid. */
    public record CvFit(CoefPath path, CvResult cv) {}

    /**
     * The path on all of {@code data} and its k-fold cross-validation, over {@code alphas}, or over
     * the default grid of all the data when {@code alphas} is null.
     */
    public static CvFit pathWithCv(Design data, PathSpec spec, double[] alphas, Folds folds) {
        return pathWithCv(data, spec, alphas, folds, PathListener.NONE);
    }

    /** The same, telling {@code listener} of each α solved: in each fold, then on all the data ((k + 1)·α fits). */
    public static CvFit pathWithCv(Design data, PathSpec spec, double[] alphas, Folds folds, PathListener listener) {
        Prepared d = prepare(data, spec);
        double[] a = alphas == null ? Grid.defaults(d, spec, Grid.DEFAULT_COUNT, Grid.DEFAULT_RATIO)
                : descending(alphas);
        FitCount count = new FitCount(listener, (long) (folds.k() + 1) * a.length);
        CvResult cv = CrossValidation.run(data, spec, a, folds, count);
        return new CvFit(fit(d, data, spec, a, count), cv);
    }

    /** Covariance mode (n ≥ p) needs only the Gram matrix, not a standardized copy of X. */
    private static Prepared prepare(Design data, PathSpec spec) {
        return new Prepared(data, spec.standardize(), ElasticNetPath.covariance(data.n(), data.p()));
    }

    /** The path over {@code alphas} (descending), counting each α solved. */
    static CoefPath fit(Prepared d, Design data, PathSpec spec, double[] alphas, FitCount count) {
        return spec.model() == Model.RIDGE ? RidgePath.fit(d, data, spec, alphas, count)
                : ElasticNetPath.fit(d, data, spec, alphas, ElasticNetPath.Mode.AUTO, count);
    }

    /** The path of the rows of a CV training set over {@code alphas} (descending). */
    static CoefPath fitRows(Design rows, PathSpec spec, double[] alphas, FitCount count) {
        return fit(prepare(rows, spec), rows, spec, alphas, count);
    }

    static double[] descending(double[] alphas) {
        if (alphas == null || alphas.length == 0) throw new IllegalArgumentException("need at least one lambda");
        for (double a : alphas) {
            if (!(a > 0) || !Double.isFinite(a)) {
                throw new IllegalArgumentException("lambdas must be finite and > 0, got " + a);
            }
        }
        double[] s = alphas.clone();
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) { double t = s[i]; s[i] = s[j]; s[j] = t; }
        for (int i = 1; i < s.length; i++) {
            if (s[i] == s[i - 1]) throw new IllegalArgumentException("duplicate lambda " + s[i]);
        }
        return s;
    }
}
