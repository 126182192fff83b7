package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.ndopt.param.Param;
import io.ndopt.param.Role;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Decay and L1 follow roles (not rank), and groups override options. */
class MaskTest {

    @Test
    void biasStoredAsRowIsNotDecayedByDefault() {
        Param w = Param.weight("w", Nd4j.rand(DataType.DOUBLE, 3, 4));
        Param b = Param.bias("b", Nd4j.rand(DataType.DOUBLE, 1, 4));     // rank 2, still a bias
        double[] b0 = b.value().ravel().toDoubleVector(), w0 = w.value().ravel().toDoubleVector();
        Optimizer opt = Optimizer.adamw(0.1).weightDecay(0.5).l1(0.01).build(List.of(w, b));
        opt.zeroGrad();                                    // a zero gradient, set
        opt.step();                                                       // zero gradients
        assertArrayEquals(b0, b.value().ravel().toDoubleVector(), 0.0, "bias untouched by decay and L1");
        assertNotEquals(w0[0], w.value().getDouble(0, 0));
        assertEquals(new RegularizationSummary(1, 12, 1, 4), opt.summary());
    }

    @Test
    void regularizeBiasOnRequest() {
        Param b = Param.bias("b", Nd4j.createFromArray(1.0, -2.0).reshape(1, 2));
        Optimizer o0 = Optimizer.adamw(0.1).weightDecay(0.5).regularize(Role.WEIGHT, Role.BIAS).build(List.of(b));
        o0.zeroGrad();                                    // a zero gradient, set
        o0.step();
        assertArrayEquals(new double[] {0.95, -1.9}, b.value().ravel().toDoubleVector(), 1e-15);
    }

    @Test
    void groupOverridesLrAndDecay() {
        Param a = Param.weight("a", Nd4j.createFromArray(1.0, 1.0));
        Param c = Param.weight("c", Nd4j.createFromArray(1.0, 1.0));
        Optimizer opt = Optimizer.sgd(0.1).weightDecay(1.0)
                .group("frozen-decay", List.of(c), o -> o.withWeightDecay(0).withLr(0.5))
                .build(List.of(a, c));
        opt.zeroGrad();                                    // a zero gradient, set
        a.setGrad(Nd4j.createFromArray(1.0, 0.0));
        c.setGrad(Nd4j.createFromArray(1.0, 0.0));
        opt.step();
        assertArrayEquals(new double[] {1 - 0.1 * 2, 1 - 0.1 * 1}, a.value().toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {0.5, 1.0}, c.value().toDoubleVector(), 1e-15);
    }
}
