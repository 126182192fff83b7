package io.ndopt.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ndopt.Conformance;
import io.ndopt.backend.Precision;
import org.junit.jupiter.api.Test;

/** Group-lasso groups index w only: regularizing the bias gives it L1/L2 but never a group term. */
class GroupLassoFitTest {
    @Test
    void regularizedBiasTakesNoGroupTerm() {
        ObjectNode root = (ObjectNode) Conformance.read("group_lasso_prox.json");   // l1 = l2 = 0: only the group term
        LinearFit.Result plain = LinearFit.run(LinearSpec.parse(root, Conformance.dir()), Precision.FLOAT64);
        root.put("regularize_bias", true);
        LinearFit.Result withBias = LinearFit.run(LinearSpec.parse(root, Conformance.dir()), Precision.FLOAT64);
        assertArrayEquals(plain.bTraj(), withBias.bTraj(), 0.0);
        assertArrayEquals(plain.wFinal(), withBias.wFinal(), 0.0);
        assertEquals(4, withBias.finalZeroCount());
    }
}
