package io.ndopt.internal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ndopt.Conformance;
import io.ndopt.backend.Precision;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group-lasso groups index w only: regularizing the bias gives it L1/L2 but never a group term, so
 * with group lasso as the only penalty {@code regularize_bias} has no effect and is refused.
 */
class GroupLassoFitTest {
    @Test
    void regularizedBiasTakesNoGroupTerm(@TempDir Path dir) throws Exception {
        ObjectNode root = (ObjectNode) Conformance.read("group_lasso_prox.json");   // l1 = l2 = 0: only the group term
        LinearFit.Result plain = LinearFit.run(LinearSpec.read(Conformance.file("group_lasso_prox.json")),
                Precision.FLOAT64);
        assertEquals(4, plain.finalZeroCount());
        root.put("regularize_bias", true);
        Path withBias = dir.resolve("with_bias.json");
        Files.writeString(withBias, root.toString());
        var e = assertThrows(ConfigException.class, () -> LinearSpec.read(withBias));
        assertTrue(e.getMessage().contains("'decay_bias' has no effect"), e.getMessage());
    }

    @Test
    void regularizedBiasWithL1KeepsTheGroupTermOnWOnly(@TempDir Path dir) throws Exception {
        ObjectNode root = (ObjectNode) Conformance.read("group_lasso_prox.json");
        ((ObjectNode) root.get("optimizer")).put("l1", 1e-3);
        root.put("regularize_bias", true);
        Path spec = dir.resolve("l1_bias.json");
        Files.writeString(spec, root.toString());
        LinearSpec s = LinearSpec.read(spec);
        assertEquals(true, s.optimizer().get(Keys.DECAY_BIAS));
        LinearFit.Result r = LinearFit.run(s, Precision.FLOAT64);
        // a group term on the scalar bias (c = 1, lr·λ = 0.02 per step) would have pulled it to 0; L1 alone (2e-5
        // per step) does not
        assertTrue(r.bFinal()[0] != 0.0, "bias ended at exactly 0");
    }
}
