package io.ndopt.glm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ndopt.Conformance;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Coefficients equal scikit-learn's (values from diabetes_regularized.json and glm/paths.json) to 1e-6. */
class SklearnAgreementTest {
    static final double TOL = 1e-6;

    static Stream<Arguments> diabetesFits() {
        JsonNode fits = Conformance.read("diabetes_regularized.json").get("fits");
        return Stream.of("lasso", "elasticnet", "ridge")
                .flatMap(m -> StreamSupport.stream(fits.get(m).spliterator(), false)
                .flatMap(f -> Stream.of(true, false).map(std -> Arguments.of(m, f.get("alpha").asDouble(), std))));
    }

    @ParameterizedTest(name = "{0} alpha={1} standardize={2}")
    @MethodSource("diabetesFits")
    void diabetesMatchesSklearn(String model, double alpha, boolean standardize) {
        JsonNode c = Conformance.read("diabetes_regularized.json");
        JsonNode fit = null;
        for (JsonNode f : c.get("fits").get(model)) if (f.get("alpha").asDouble() == alpha) fit = f;
        Design d = Design.ofRows(Conformance.matrix(c.get("data").get("X")),
                Conformance.doubles(c.get("data").get("y")));
        PathSpec spec = switch (model) {
            case "lasso" -> PathSpec.lasso();
            case "elasticnet" -> PathSpec.elasticNet(fit.get("l1_ratio").asDouble());
            default -> PathSpec.ridge();
        };
        // the conformance X is already standardized, so standardizing again must change nothing
        CoefPath p = Glm.path(d, spec.withStandardize(standardize).withTol(1e-12).withMaxSweeps(100_000),
                new double[] {alpha});
        Reference.assertClose(Conformance.doubles(fit.get("coef")), p.coef()[0], TOL, model + " coef");
        assertEquals(fit.get("intercept").asDouble(), p.intercept()[0], TOL, "intercept");
        assertEquals(fit.get("zero_count").asInt(), p.zeroCount(0), "exact zeros");
        assertTrue(p.converged()[0]);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pathCases")
    void wholePathMatchesSklearn(String name, ElasticNetPath.Mode mode) {
        JsonNode c = Reference.get(name);
        Design d = Reference.design(c);
        double rho = c.get("l1_ratio").asDouble();
        PathSpec spec = (rho == 1 ? PathSpec.lasso() : PathSpec.elasticNet(rho)).withStandardize(false)
                .withNonNegative(c.get("positive").asBoolean()).withTol(1e-12).withMaxSweeps(1_000_000);
        double[] alphas = Conformance.doubles(c.get("alphas"));
        // the default grid is scikit-learn's _alpha_grid (which, unlike ours, ignores the sign constraint in λ_max)
        if (!spec.nonNegative()) {
            Reference.assertClose(alphas, Grid.defaults(d, spec), 1e-12 * alphas[0], name + " grid");
        }
        CoefPath p = ElasticNetPath.fit(d, spec, alphas, mode);
        double[][] coef = Conformance.matrix(c.get("coef"));
        double[] b = Conformance.doubles(c.get("intercept"));
        for (int k = 0; k < alphas.length; k++) {
            Reference.assertClose(coef[k], p.coef()[k], TOL, name + " alpha[" + k + "]=" + alphas[k]);
            assertEquals(b[k], p.intercept()[k], TOL, name + " intercept at alpha[" + k + "]");
            // at λ_max itself the entering coefficient is 0 up to rounding (~1e-17) in either solver
            assertEquals(zeros(coef[k], k == 0 ? 1e-12 : 0), zeros(p.coef()[k], k == 0 ? 1e-12 : 0),
                    name + " exact zeros at alpha[" + k + "]");
        }
    }

    static Stream<Arguments> pathCases() {
        return Reference.names("path").flatMap(n ->
                Stream.of(ElasticNetPath.Mode.values()).filter(m -> m != ElasticNetPath.Mode.AUTO)
                .map(m -> Arguments.of(n, m)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"weighted_enet", "standardized_lasso", "ridge_wide"})
    void singleFitsMatchSklearn(String name) {
        JsonNode c = Reference.get(name);
        Design d = Reference.design(c);
        PathSpec spec = c.has("model") ? PathSpec.ridge() : c.get("l1_ratio").asDouble() == 1 ? PathSpec.lasso()
                : PathSpec.elasticNet(c.get("l1_ratio").asDouble());
        spec = spec.withStandardize(c.has("standardize")).withTol(1e-12).withMaxSweeps(1_000_000);
        double[] alphas = Conformance.doubles(c.get("alphas"));
        CoefPath p = Glm.path(d, spec, alphas);
        double[][] coef = Conformance.matrix(c.get("coef"));
        double[] b = Conformance.doubles(c.get("intercept"));
        for (int k = 0; k < alphas.length; k++) {
            Reference.assertClose(coef[k], p.coef()[k], TOL, name + " alpha=" + alphas[k]);
            assertEquals(b[k], p.intercept()[k], TOL, name + " intercept at alpha=" + alphas[k]);
            assertEquals(zeros(coef[k], 0), p.zeroCount(k), name + " exact zeros at alpha=" + alphas[k]);
        }
    }

    @Test
    void crossValidationMatchesLassoCv() {
        JsonNode c = Reference.get("lasso_cv");
        Design d = Reference.design(c);
        double[] alphas = Conformance.doubles(c.get("alphas"));
        CvResult cv = Glm.crossValidate(d, PathSpec.lasso().withStandardize(false).withTol(1e-12)
                .withMaxSweeps(1_000_000), alphas,
                Folds.contiguous(d.n(), 5));
        double[][] mse = Conformance.matrix(c.get("mse_path"));
        for (int f = 0; f < 5; f++) Reference.assertClose(mse[f], cv.foldMse()[f], 1e-6, "fold " + f + " mse");
        assertEquals(c.get("alpha_min").asDouble(), cv.lambdaMin(), 0.0);
    }

    /** Entries with |v| <= eps. */
    static int zeros(double[] v, double eps) {
        int z = 0;
        for (double x : v) if (Math.abs(x) <= eps) z++;
        return z;
    }
}
