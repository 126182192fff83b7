package io.ndopt.internal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.backend.Precision;
import io.ndopt.internal.config.OptimizerSpec;
import org.junit.jupiter.api.Test;

/**
 * {@code fit} under {@code nonfinite: propagate} with L1: a weight that went NaN stays NaN through the soft
 * threshold, is not reported as an exact zero, and the final loss is NaN, not finite.
 */
class NanFitReportTest {
    @Test void aNaNWeightIsNotAnExactZeroAndTheLossIsNaN() {
        double[][] x = {{1e300}, {1}};                  // residual 1e310 = Inf: gradient Inf, Adam's step Inf/Inf = NaN
        LinearSpec spec = new LinearSpec(x, new double[] {0, 0}, new double[] {1e10}, 0, 2,
                OptimizerSpec.parse("adam:lr=0.1,l1=0.01,nonfinite=propagate"), null);
        LinearFit.Result r = LinearFit.run(spec, Precision.FLOAT64);
        assertTrue(Double.isNaN(r.wFinal()[0]), "the NaN weight stays NaN: " + r.wFinal()[0]);
        assertEquals(0, r.finalZeroCount(), "a NaN is not an exact zero");
        assertTrue(Double.isNaN(r.loss()[r.loss().length - 1]), "the final loss over a NaN weight is NaN");
        assertTrue(r.nonFiniteSteps() > 0);
    }
}
