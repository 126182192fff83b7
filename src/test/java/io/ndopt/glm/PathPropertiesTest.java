package io.ndopt.glm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Optimality along whole paths, closed forms, and invariances that need no reference implementation. */
class PathPropertiesTest {
    static Stream<Arguments> settings() {
        double[] factors = {1, 0.5, 2, 0, 1, 1, 3, 1};
        return Stream.of(
                Arguments.of("lasso tall", PathSpec.lasso(), 60, 8, false),
                Arguments.of("lasso wide", PathSpec.lasso(), 25, 40, false),
                Arguments.of("enet weighted", PathSpec.elasticNet(0.3), 60, 8, true),
                Arguments.of("enet wide raw", PathSpec.elasticNet(0.7).withStandardize(false), 25, 40, true),
                Arguments.of("lasso non-negative", PathSpec.lasso().withNonNegative(true), 60, 8, false),
                Arguments.of("lasso factors", PathSpec.lasso().withPenaltyFactors(factors), 60, 8, true),
                Arguments.of("ridge", PathSpec.ridge(), 60, 8, true),
                Arguments.of("ridge wide", PathSpec.ridge(), 25, 40, false),
                Arguments.of("ridge non-negative", PathSpec.ridge().withNonNegative(true), 60, 8, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void kktHoldsAtEveryLambda(String name, PathSpec spec, int n, int p, boolean weighted) {
        Design d = Kkt.random(n * 31L + p, n, p, weighted);
        spec = spec.withTol(1e-13).withMaxSweeps(1_000_000);
        CoefPath path = Glm.path(d, spec, spec.model() == Model.RIDGE ? Grid.logSpaced(1e3, 1e-2, 12)
                : Grid.defaults(d, spec, 30, 1e-3));
        double wsum = 0;
        for (int i = 0; i < n; i++) wsum += d.weight(i);
        for (int k = 0; k < path.size(); k++) {
            double lam = spec.model() == Model.RIDGE ? path.lambdas()[k] / wsum : path.lambdas()[k];   // ridge α = Σw·λ
            double v = Kkt.maxViolation(d, spec, lam, path.coef()[k], path.intercept()[k]);
            assertTrue(v < 1e-6, name + ": KKT violated by " + v + " at lambda " + path.lambdas()[k]);
            if (spec.nonNegative()) for (double c : path.coef()[k]) assertTrue(c >= 0, "negative coefficient " + c);
        }
        if (spec.model() != Model.RIDGE && spec.penaltyFactors() == null) {
            // at λ_max itself the first feature is on the boundary: 0 up to rounding
            assertEquals(p, SklearnAgreementTest.zeros(path.coef()[0], 1e-12), "every coefficient is 0 at lambda_max");
        }
    }

    /**
     * Orthogonal standardized columns: the lasso is soft-thresholding, {@code w_j(λ) = S(c_j, λ)} with
     * {@code c_j = x_jᵀ(y − ȳ)/n}; feature j is non-zero exactly when λ < |c_j|, so features enter in
     * decreasing order of |c_j| and the path's first λ is max |c_j|.
     */
    @Test
    void orthogonalDesignIsSoftThresholding() {
        int n = 64, p = 6;
        double[][] x = new double[n][p];
        // ±1 Walsh columns: orthogonal, mean 0, sd 1
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) x[i][j] = ((i >> j) & 1) == 0 ? 1 : -1;
        double[] y = new double[n], truth = {3, -2, 1.5, 0.7, -0.3, 0.1};
        Random r = new Random(5);
        for (int i = 0; i < n; i++) {
            y[i] = 10 + 0.2 * r.nextGaussian();
            for (int j = 0; j < p; j++) y[i] += truth[j] * x[i][j];
        }
        Design d = Design.ofRows(x, y);
        double ym = Arrays.stream(y).average().orElseThrow();
        double[] c = new double[p];
        for (int j = 0; j < p; j++) { for (int i = 0; i < n; i++) c[j] += x[i][j] * (y[i] - ym); c[j] /= n; }
        CoefPath path = Glm.path(d, PathSpec.lasso().withTol(1e-12));
        assertEquals(Arrays.stream(c).map(Math::abs).max().orElseThrow(), path.lambdas()[0], 1e-12);
        for (int k = 0; k < path.size(); k++) {
            double lam = path.lambdas()[k];
            for (int j = 0; j < p; j++) {
                double expect = Math.signum(c[j]) * Math.max(Math.abs(c[j]) - lam, 0);
                assertEquals(expect, path.coef()[k][j], 1e-9, "w_" + j + " at lambda " + lam);
                assertEquals(Math.abs(c[j]) > lam, path.coef()[k][j] != 0,
                        "support of feature " + j + " at lambda " + lam);
            }
        }
    }

    /** Integer weights are row copies: weight 2 on a row equals listing that row twice (lasso, enet, ridge). */
    @ParameterizedTest
    @MethodSource("models")
    void integerWeightsEqualDuplicatedRows(PathSpec spec) {
        Design d = Kkt.random(11, 30, 5, false);
        double[] w = new double[30];
        int extra = 0;
        for (int i = 0; i < 30; i++) { w[i] = 1 + i % 3; extra += (int) w[i] - 1; }
        int[] idx = new int[30 + extra];
        for (int i = 0, k = 0; i < 30; i++) for (int c = 0; c < w[i]; c++) idx[k++] = i;
        double[] alphas = {2.0, 0.5, 0.05};
        spec = spec.withTol(1e-14).withMaxSweeps(1_000_000);
        CoefPath a = Glm.path(d.withWeights(w), spec, alphas), b = Glm.path(d.rows(idx), spec, alphas);
        CoefPath c = Glm.path(d.withWeights(Arrays.stream(w).map(v -> 2 * v).toArray()),
                spec.model() == Model.RIDGE ? spec : spec, alphas);
        for (int k = 0; k < alphas.length; k++) {
            Reference.assertClose(b.coef()[k], a.coef()[k], 1e-8, "weights vs duplicated rows");
            assertEquals(b.intercept()[k], a.intercept()[k], 1e-8);
            if (spec.model() != Model.RIDGE) {
                Reference.assertClose(a.coef()[k], c.coef()[k], 1e-8, "weights scaled by 2");
            }
        }
    }

    static Stream<PathSpec> models() {
        return Stream.of(PathSpec.lasso(), PathSpec.elasticNet(0.4).withStandardize(false), PathSpec.ridge());
    }

    /** A lasso penalty factor c on feature j equals dividing column j by c (and the coefficient back). */
    @Test
    void penaltyFactorEqualsColumnRescaling() {
        Design d = Kkt.random(21, 50, 6, false);
        double c = 2.5;
        double[] x = d.x().clone();
        for (int i = 0; i < d.n(); i++) x[2 * d.n() + i] /= c;
        Design scaled = new Design(x, d.n(), d.p(), d.y(), null, d.names());
        double[] v = {1, 1, c, 1, 1, 1}, alphas = {1.0, 0.3, 0.1, 0.01};
        PathSpec s = PathSpec.lasso().withStandardize(false).withTol(1e-14).withMaxSweeps(1_000_000);
        CoefPath a = Glm.path(d, s.withPenaltyFactors(v), alphas), b = Glm.path(scaled, s, alphas);
        for (int k = 0; k < alphas.length; k++) {
            double[] expect = b.coef()[k].clone();
            expect[2] /= c;
            Reference.assertClose(expect, a.coef()[k], 1e-9, "alpha " + alphas[k]);
        }
    }

    /** Covariance updates, naive updates and the plain reference solver give the same path. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void enginesAgreeWithReference(String name, PathSpec spec, int n, int p, boolean weighted) {
        if (spec.model() == Model.RIDGE) return;
        Design d = Kkt.random(n * 7L + p, n, p, weighted);
        PathSpec s = spec.withTol(1e-14).withMaxSweeps(1_000_000);
        double[] alphas = Grid.defaults(d, s, 15, 1e-2);
        CoefPath ref = ElasticNetPath.fit(d, s, alphas, ElasticNetPath.Mode.REFERENCE);
        for (ElasticNetPath.Mode m : new ElasticNetPath.Mode[] {ElasticNetPath.Mode.COVARIANCE,
                ElasticNetPath.Mode.NAIVE}) {
            CoefPath fast = ElasticNetPath.fit(d, s, alphas, m);
            for (int k = 0; k < alphas.length; k++) {
                Reference.assertClose(ref.coef()[k], fast.coef()[k], 1e-7, name + " " + m + " at " + alphas[k]);
                double eps = k == 0 ? 1e-12 : 0;   // λ_max: the entering coefficient is 0 up to rounding
                assertEquals(SklearnAgreementTest.zeros(ref.coef()[k], eps),
                        SklearnAgreementTest.zeros(fast.coef()[k], eps), name + " " + m + " zeros at " + alphas[k]);
            }
        }
    }

    @Test
    void constantFeatureGetsZero() {
        Design d = Kkt.random(3, 40, 4, false);
        double[] x = d.x().clone();
        Arrays.fill(x, 40, 80, 7.0);
        Design c = new Design(x, 40, 4, d.y(), null, d.names());
        for (PathSpec s : new PathSpec[] {PathSpec.lasso(), PathSpec.ridge(),
                PathSpec.elasticNet(0.5).withStandardize(false)}) {
            CoefPath path = Glm.path(c, s, new double[] {0.5, 0.01});
            for (double[] w : path.coef()) assertEquals(0.0, w[1], 0.0, s.model() + ": constant column");
        }
    }
}
