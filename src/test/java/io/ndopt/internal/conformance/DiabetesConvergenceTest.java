package io.ndopt.internal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.ndopt.Conformance;
import io.ndopt.backend.Precision;
import io.ndopt.internal.config.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same fit code path (prox_sgd from w = 0, b = 0) reaches scikit-learn's Lasso, ElasticNet and
 * Ridge solutions on the diabetes data to 1e-6, with exact zeros where scikit-learn has them.
 */
class DiabetesConvergenceTest {
    static Stream<Arguments> fits() {
        JsonNode root = Conformance.read("diabetes_regularized.json");
        List<Arguments> out = new ArrayList<>();
        root.get("fits").fields().forEachRemaining(e ->
                e.getValue().forEach(f -> out.add(Arguments.of(e.getKey(), f.get("alpha").asDouble(), f))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} alpha={1}")
    @MethodSource("fits")
    void reachesScikitLearnSolution(String model, double alpha, JsonNode fit) {
        JsonNode data = Conformance.read("diabetes_regularized.json").get("data");
        JsonNode check = fit.has("ista_check") ? fit.get("ista_check") : fit.get("gd_check");
        JsonNode eq = fit.get("mse_equivalent");
        int p = data.get("p").asInt();
        OptimizerSpec opt = OptimizerSpec.fromMap(Map.of("type", "prox_sgd", "lr", check.get("lr").asDouble(),
                "l1", eq.get("l1").asDouble(), "l2", eq.get("l2").asDouble()));
        LinearSpec spec = new LinearSpec(Conformance.matrix(data.get("X")), Conformance.doubles(data.get("y")),
                new double[p], 0.0, check.get("steps_run").asInt(), opt, null, 0, false, null);
        LinearFit.Result r = LinearFit.run(spec, Precision.FLOAT64);
        double[] coef = Conformance.doubles(fit.get("coef"));
        for (int j = 0; j < p; j++) assertEquals(coef[j], r.wFinal()[j], 1e-6, model + " coef " + j);
        assertEquals(fit.get("intercept").asDouble(), r.bFinal()[0], 1e-6, "intercept");
        assertEquals(fit.get("zero_count").asInt(), r.finalZeroCount(), "exact zeros");
    }
}
