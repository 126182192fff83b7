package io.ndopt.glm;

/**
 * Cross-validation of a path: {@code foldMse[f][k]} is the weighted mean squared error on fold f of
 * the path fitted without it, at {@code lambdas[k]}; {@code mean[k]} its average over folds and
 * {@code se[k] = sd_f(foldMse[f][k]) / sqrt(folds)} (sample sd). {@code lambdaMin} minimizes the mean;
 * {@code lambda1se} is the largest λ whose mean is within one standard error of that minimum
 * (glmnet's {@code lambda.1se}: the simplest model about as good).
 */
public record CvResult(double[] lambdas, double[][] foldMse, double[] mean, double[] se, int indexMin, int index1se) {
    public double lambdaMin() { return lambdas[indexMin]; }
    public double lambda1se() { return lambdas[index1se]; }

    static CvResult of(double[] lambdas, double[][] foldMse) {
        int k = foldMse.length, K = lambdas.length;
        double[] mean = new double[K], se = new double[K];
        for (int l = 0; l < K; l++) {
            double m = 0;
            for (double[] f : foldMse) m += f[l];
            m /= k;
            double ss = 0;
            for (double[] f : foldMse) ss += (f[l] - m) * (f[l] - m);
            mean[l] = m;
            se[l] = Math.sqrt(ss / (k - 1)) / Math.sqrt(k);
        }
        int best = 0;
        for (int l = 1; l < K; l++) if (mean[l] < mean[best]) best = l;
        int oneSe = best;
        // lambdas descending
        for (int l = 0; l < best; l++) if (mean[l] <= mean[best] + se[best]) { oneSe = l; break; }
        return new CvResult(lambdas, foldMse, mean, se, best, oneSe);
    }
}
