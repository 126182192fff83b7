package io.ndopt.glm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * k-fold cross-validation over a fixed α grid (computed once on all the data, as scikit-learn's
 * {@code LassoCV} and glmnet's {@code cv.glmnet} do). Each fold fits the whole path on the other
 * folds, centring and standardizing on those training rows only, and scores the held-out rows.
 * Folds run in parallel, one task per fold on {@code min(k, cores)} threads. When n ≥ p the
 * training sets' Gram matrices all come from one pass over the data ({@link FoldMoments}).
 */
final class CrossValidation {
    private CrossValidation() {}

    static CvResult run(Design data, PathSpec spec, double[] alphas, Folds folds, FitCount count) {
        if (folds.fold().length != data.n()) {
            throw new IllegalArgumentException("folds cover " + folds.fold().length + " rows, data has " + data.n());
        }
        int k = folds.k();
        int threads = Math.min(k, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ndopt-cv");
            t.setDaemon(true);
            return t;
        });
        try {
            Prepared[] grams = grams(data, spec, folds);
            List<Future<double[]>> parts = new ArrayList<>();
            for (int f = 0; f < k; f++) {
                int fold = f;
                parts.add(pool.submit(() -> fold(data, spec, alphas, folds, fold, grams, count)));
            }
            double[][] mse = new double[k][];
            for (int f = 0; f < k; f++) mse[f] = parts.get(f).get();
            return CvResult.of(alphas.clone(), mse);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("cross-validation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** n ≥ p: every training set runs on its Gram matrix, and FoldMoments makes them all from one pass; else null. */
    static Prepared[] grams(Design data, PathSpec spec, Folds folds) {
        int smallestTrain = data.n();
        for (int f = 0; f < folds.k(); f++) smallestTrain = Math.min(smallestTrain, data.n() - folds.rows(f, true).length);
        return Gram.usesBlas() && ElasticNetPath.covariance(smallestTrain, data.p())
                ? FoldMoments.prepare(data, folds, spec.standardize()) : null;
    }

    /** The MSE on fold {@code fold} of the path fitted on the other folds ({@code grams}: {@link #grams} or null). */
    static double[] fold(Design data, PathSpec spec, double[] alphas, Folds folds, int fold, Prepared[] grams,
                         FitCount count) {
        Design test = data.rows(folds.rows(fold, true));
        if (grams != null) return Glm.fit(grams[fold], data, spec, alphas, count).mse(test);
        return Glm.fitRows(data.rows(folds.rows(fold, false)), spec, alphas, count).mse(test);
    }
}
