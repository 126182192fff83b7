package io.ndopt.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ndopt.param.Param;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Central finite differences in float64 against the hand-written backward, for every activation and loss. */
class GradientCheckTest {
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Activation hidden : Activation.values()) b.add(Arguments.of(hidden, Loss.MSE, Activation.IDENTITY));
        for (Activation out : new Activation[] {Activation.TANH, Activation.SIGMOID, Activation.SOFTMAX}) {
            b.add(Arguments.of(Activation.TANH, Loss.MSE, out));
        }
        b.add(Arguments.of(Activation.TANH, Loss.BCE_WITH_LOGITS, Activation.IDENTITY));
        b.add(Arguments.of(Activation.LEAKY_RELU, Loss.SOFTMAX_CROSS_ENTROPY, Activation.IDENTITY));
        return b.build();
    }

    @ParameterizedTest(name = "hidden {0}, loss {1}, output {2}")
    @MethodSource("cases")
    void backwardMatchesFiniteDifferences(Activation hidden, Loss loss, Activation output) {
        int in = 4, outs = loss == Loss.BCE_WITH_LOGITS ? 1 : 3, batch = 5;
        Sequential model = Sequential.mlp(in, new int[] {6, 5}, outs, hidden, output, DataType.DOUBLE, 11);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, batch, in);
        INDArray y = target(loss, batch, outs);
        model.lossAndGradients(x, y, loss);
        INDArray dx = model.backward(loss.gradient(model.forward(x), y));   // also checks dL/dx
        DoubleSupplier f = () -> loss.value(model.forward(x), y);
        for (Param p : model.params()) {
            INDArray analytic = p.grad().dup();
            for (long i = 0; i < p.length(); i++) {
                double numeric = centralDifference(p.value(), i, f);
                assertEquals(numeric, analytic.getDouble(i), 1e-6 * Math.max(1, Math.abs(numeric)),
                        p.name() + "[" + i + "]");
            }
        }
        for (long i = 0; i < x.length(); i++) {
            assertEquals(centralDifference(x, i, f), dx.getDouble(i), 1e-6, "dL/dx[" + i + "]");
        }
    }

    /** (f(v + h·e_i) − f(v − h·e_i)) / 2h with h = 1e-6, leaving v as it was. */
    private static double centralDifference(INDArray v, long i, DoubleSupplier f) {
        double orig = v.getDouble(i);
        v.putScalar(i, orig + 1e-6);
        double up = f.getAsDouble();
        v.putScalar(i, orig - 1e-6);
        double down = f.getAsDouble();
        v.putScalar(i, orig);
        return (up - down) / 2e-6;
    }

    private static INDArray target(Loss loss, int batch, int outs) {
        if (loss == Loss.MSE) return Nd4j.randn(DataType.DOUBLE, batch, outs);
        if (loss == Loss.BCE_WITH_LOGITS) return Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {1}, {0}});
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, outs);
        for (int i = 0; i < batch; i++) y.putScalar(i, i % outs, 1.0);
        return y;
    }

    @Test
    void lossesAreStableForExtremeLogits() {
        INDArray z = Nd4j.createFromArray(new double[][] {{1000, -1000, 0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{0, 1, 0}});
        assertEquals(2000.0, Loss.SOFTMAX_CROSS_ENTROPY.value(z, y), 1e-9);
        INDArray zb = Nd4j.createFromArray(new double[][] {{800}, {-800}});
        INDArray yb = Nd4j.createFromArray(new double[][] {{0}, {0}});
        assertEquals(400.0, Loss.BCE_WITH_LOGITS.value(zb, yb), 1e-9);
        assertEquals(List.of(Activation.RELU), List.of(Activation.parse("relu")));
    }
}
