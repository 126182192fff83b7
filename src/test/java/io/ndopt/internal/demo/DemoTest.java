package io.ndopt.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.Png;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each demo, run through the library with its default seed, shows the effect it is about. */
class DemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private JsonNode run(String name) throws Exception {
        Demo.run(name, dir, 42);
        JsonNode r = JSON.readTree(dir.resolve("result.json").toFile());
        for (JsonNode p : r.get("plots")) Png.assertPlot(dir.resolve(p.asText()));
        return r;
    }

    @Test
    void overfitIsTamedByL2() throws Exception {
        JsonNode r = run("overfit");
        double plain = r.get("test_mse_plain").asDouble(), l2 = r.get("test_mse_l2").asDouble();
        assertTrue(plain > 5 * l2, "test MSE plain " + plain + " vs L2 " + l2);
        assertTrue(r.get("train_mse_plain").asDouble() < r.get("train_mse_l2").asDouble(),
                "the unpenalized fit fits the training points closer");
        assertTrue(r.get("weight_norm_l2").asDouble() < r.get("weight_norm_plain").asDouble());
    }

    @Test
    void proximalL1SelectsTheSupport() throws Exception {
        JsonNode r = run("sparse");
        assertTrue(r.get("support_precision").asDouble() >= 0.9, "precision " + r.get("support_precision"));
        assertTrue(r.get("support_recall").asDouble() >= 0.9, "recall " + r.get("support_recall"));
        int p = r.get("p").asInt(), s = r.get("s").asInt();
        assertTrue(r.get("zeros_l1").asInt() >= p - 2 * s, "L1 leaves exact zeros: " + r.get("zeros_l1"));
        assertEquals(0, r.get("zeros_l2").asInt(), "L2 leaves no exact zeros");
        JsonNode path = r.get("path");
        assertTrue(path.size() >= 10);
        JsonNode first = path.get(0);
        assertEquals("l1", first.get("penalty").asText());
        for (JsonNode c : first.get("coef")) {
            assertEquals(0.0, c.asDouble(), 0.0, "at lambda_max every L1 coefficient is zero");
        }
    }

    @Test
    void adamVsAdamwReportsEveryRunAndDecayShrinksWeights() throws Exception {
        JsonNode r = run("adamw");
        JsonNode runs = r.get("runs");
        assertEquals(6, runs.size());
        for (String opt : new String[] {"adam", "adamw"}) {
            double prev = Double.POSITIVE_INFINITY, prevWd = -1;
            for (JsonNode run : runs) {
                if (!run.get("optimizer").asText().equals(opt)) continue;
                assertTrue(run.get("weight_decay").asDouble() > prevWd);
                assertTrue(run.get("weight_norm").asDouble() < prev, opt + ": more decay, smaller weights");
                assertTrue(run.get("val_accuracy").asDouble() >= 0 && run.get("val_accuracy").asDouble() <= 1);
                prev = run.get("weight_norm").asDouble();
                prevWd = run.get("weight_decay").asDouble();
            }
        }
    }

    @Test
    void crossValidationCurveIsUShaped() throws Exception {
        JsonNode r = run("lambda-cv");
        double[] val = JSON.convertValue(r.get("val_mse_mean"), double[].class);
        double[] train = JSON.convertValue(r.get("train_mse_mean"), double[].class);
        double[] lambdas = JSON.convertValue(r.get("lambdas"), double[].class);
        int best = 0;
        for (int k = 1; k < val.length; k++) if (val[k] < val[best]) best = k;
        assertTrue(best > 0 && best < val.length - 1, "minimum inside the grid");
        assertEquals(lambdas[best], r.get("best_lambda").asDouble(), 0.0);
        for (int k = 1; k < train.length; k++) {
            assertTrue(train[k] <= train[k - 1] * 1.05, "training error falls as lambda falls (grid is descending)");
        }
        assertTrue(val[0] > 1.5 * val[best] && val[val.length - 1] > 1.5 * val[best], "U shape");
    }

    @Test
    void groupLassoFindsTheSmallNetworkWhereL1AndL2DoNot() throws Exception {
        JsonNode r = run("prune");
        Map<String, JsonNode> runs = new HashMap<>();
        for (JsonNode run : r.get("runs")) {
            runs.put(run.get("penalty").asText(), run);
            assertEquals(run.get("val_accuracy").asDouble(), run.get("val_accuracy_pruned").asDouble(), 0.0,
                    "pruning keeps predictions");
            assertTrue(run.get("max_abs_prediction_change").asDouble() < 1e-4);
        }
        JsonNode group = runs.get("group_lasso"), l1 = runs.get("l1"), l2 = runs.get("l2"), none = runs.get("none");
        int inputs = 30;
        assertTrue(group.get("inputs_used").asInt() <= 6,
                "group lasso drops the noise inputs: " + group.get("inputs_used"));
        assertEquals(2, group.get("informative_inputs_kept").asInt(), "and keeps both informative ones");
        int liveUnits = 0;
        for (JsonNode u : group.get("live_units")) liveUnits += u.asInt();
        assertTrue(liveUnits <= 64, "at most half of the 128 hidden units survive, got " + liveUnits);
        assertTrue(group.get("params_pruned").asInt() * 5 < group.get("params").asInt(),
                "pruned network is > 5x smaller");
        assertTrue(group.get("val_accuracy").asDouble() >= none.get("val_accuracy").asDouble() - 0.03,
                "at no real cost in accuracy");
        assertTrue(l1.get("zero_weight_fraction").asDouble() > 0.3, "L1: many scattered exact zeros");
        assertEquals(inputs, l1.get("inputs_used").asInt(), "but no input removed");
        assertEquals(inputs, l2.get("inputs_used").asInt(), "L2: no input removed");
        for (JsonNode u : l2.get("live_units")) assertEquals(64, u.asInt(), "L2: no unit removed");
        assertEquals(none.get("params").asInt(), none.get("params_pruned").asInt(), "no penalty: nothing to prune");
    }
}
