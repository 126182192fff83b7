package io.ndopt.regularize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The soft threshold against a scalar three-branch loop and its optimality condition. */
class ProxTest {
    @Test
    void arrayVersionEqualsScalarBranches() {
        Random r = new Random(1);
        double[] z = new double[1000];
        for (int i = 0; i < z.length; i++) z[i] = r.nextGaussian();
        z[0] = 0.3;
        z[1] = -0.3;
        double t = 0.3;
        INDArray a = Prox.softThresholdi(Nd4j.createFromArray(z.clone()), t);
        for (int i = 0; i < z.length; i++) {
            double expect = z[i] > t ? z[i] - t : z[i] < -t ? z[i] + t : 0.0;
            assertEquals(expect, a.getDouble(i), 0.0);
            double w = a.getDouble(i);
            // optimality of argmin (1/2)(w−z)² + t|w|: z − w ∈ t·∂|w|
            if (w != 0) assertEquals(t * Math.signum(w), z[i] - w, 1e-12);
            else assertEquals(true, Math.abs(z[i]) <= t);
        }
    }

    @Test
    void elasticNetProxIsArgmin() {
        double z = 1.7, lr = 0.5, l1 = 0.4, l2 = 2.0;
        double w = Prox.elasticNet(z, lr, l1, l2);
        // derivative of (1/2)(w−z)² + lr(l1|w| + (l2/2)w²) vanishes at w > 0
        assertEquals(0.0, (w - z) + lr * (l1 + l2 * w), 1e-12);
    }
}
