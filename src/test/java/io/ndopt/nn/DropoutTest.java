package io.ndopt.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ndopt.optim.UpdatePath;
import io.ndopt.param.Param;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: scaling, rate, identity at evaluation, reproducible masks, exact gradients through a fixed mask.
 */
class DropoutTest {
    @ParameterizedTest
    @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void keptUnitsAreScaledByOneOverKeepAndTheRateIsP(UpdatePath impl) {
        double p = 0.3;
        Sequential m = new Sequential(List.of(
                new Dense("id", 200, 200, Activation.IDENTITY, Init.XAVIER_UNIFORM, DataType.DOUBLE, 1),
                new Dropout("d", p, 77))).impl(impl);
        Dense d = (Dense) m.layers().get(0);
        d.weight().value().assign(Nd4j.eye(200));                       // the dense layer passes x through
        INDArray x = Nd4j.rand(DataType.DOUBLE, 50, 200).addi(1);        // all entries in [1, 2)
        INDArray out = m.forward(x);
        int zeros = 0;
        for (long i = 0; i < x.length(); i++) {
            double o = out.getDouble(i);
            if (o == 0) zeros++;
            else assertEquals(x.getDouble(i) / (1 - p), o, 1e-12, "kept element " + i);
        }
        // 10 000 Bernoulli(0.3) draws: sd ≈ 46, so ±4.5 sd
        assertEquals(0.3 * 10_000, zeros, 200.0);
    }

    @Test
    void evaluationModeIsTheModelWithoutDropout() {
        Sequential with = Sequential.mlp(3, new int[] {8, 8}, 2, Activation.RELU, Activation.IDENTITY,
                new double[] {0.5, 0.5}, DataType.FLOAT, 4);
        Sequential without = Sequential.mlp(3, new int[] {8, 8}, 2, Activation.RELU, Activation.IDENTITY,
                DataType.FLOAT, 4);
        INDArray x = Nd4j.randn(DataType.FLOAT, 6, 3);
        assertArrayEquals(without.forward(x).ravel().toFloatVector(),
                with.eval().forward(x).ravel().toFloatVector(), 0f);
        assertFalse(Arrays.equals(without.forward(x).ravel().toFloatVector(),
                with.train().forward(x).ravel().toFloatVector()));
    }

    @Test
    void masksAreAFunctionOfSeedAndPosition() {
        Sequential a = Sequential.mlp(3, new int[] {16}, 1, Activation.TANH, Activation.IDENTITY, new double[] {0.4},
                DataType.FLOAT, 9);
        Sequential b = Sequential.mlp(3, new int[] {16}, 1, Activation.TANH, Activation.IDENTITY, new double[] {0.4},
                DataType.FLOAT, 9);
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 3);
        a.position(12);
        float[] a12 = a.forward(x).ravel().toFloatVector();
        float[] a13 = a.forward(x).ravel().toFloatVector();                    // the counter advanced: a new mask
        b.position(12);
        assertArrayEquals(a12, b.forward(x).ravel().toFloatVector(), 0f);
        assertArrayEquals(a13, b.forward(x).ravel().toFloatVector(), 0f);
        assertFalse(Arrays.equals(a12, a13));
        assertEquals(14, ((Dropout) a.layers().get(1)).draws());
    }

    @Test
    void gradientThroughAFixedMaskMatchesFiniteDifferences() {
        Sequential m = Sequential.mlp(4, new int[] {6}, 2, Activation.TANH, Activation.IDENTITY, new double[] {0.5},
                DataType.DOUBLE, 3)
                .inputGradient(true);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 4), y = Nd4j.randn(DataType.DOUBLE, 5, 2);
        m.position(7);
        m.lossAndGradients(x, y, Loss.MSE);
        DoubleSupplier f = () -> {
            m.position(7);                                              // the same mask every evaluation
            return Loss.MSE.value(m.forward(x), y);
        };
        for (Param p : m.params()) {
            INDArray g = p.grad().dup();
            for (long i = 0; i < p.length(); i++) {
                double orig = p.value().getDouble(i);
                p.value().putScalar(i, orig + 1e-6);
                double up = f.getAsDouble();
                p.value().putScalar(i, orig - 1e-6);
                double down = f.getAsDouble();
                p.value().putScalar(i, orig);
                assertEquals((up - down) / 2e-6, g.getDouble(i), 1e-6, p.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void badRatesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout("drop1", 1.0, 1));
        assertEquals("dropout 'drop1': p must be in [0, 1), got 1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Sequential.mlp(2, new int[] {4, 4}, 1, Activation.RELU, Activation.IDENTITY,
                new double[] {0.1}, DataType.FLOAT, 1));
    }
}
