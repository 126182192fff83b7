package io.ndopt.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ndopt.Parity;
import io.ndopt.optim.UpdatePath;
import io.ndopt.param.Param;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The workspace path of a whole model equals the layer-by-layer ND4J reference by {@link Parity}
 * (the float32 loss, a sum over the batch, to 2e-5): loss, every gradient, the input gradient and the
 * output, for batches of several sizes through one workspace (growing, then a smaller last batch),
 * with and without dropout.
 */
class FastPathParityTest {
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            b.add(Arguments.of(dt, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY, 0.0));
            b.add(Arguments.of(dt, Activation.TANH, Loss.MSE, 0.0));
            b.add(Arguments.of(dt, Activation.SIGMOID, Loss.BCE_WITH_LOGITS, 0.0));
            b.add(Arguments.of(dt, Activation.LEAKY_RELU, Loss.SOFTMAX_CROSS_ENTROPY, 0.3));
            b.add(Arguments.of(dt, Activation.RELU, Loss.MSE, 0.5));
        }
        return b.build();
    }

    private static Sequential model(DataType dt, Activation act, int outs, double p) {
        return Sequential.mlp(6, new int[] {9, 7}, outs, act, Activation.IDENTITY, new double[] {p, p}, dt, 21);
    }

    @ParameterizedTest(name = "{0} {1} {2} dropout {3}")
    @MethodSource("cases")
    void fastEqualsReference(DataType dt, Activation act, Loss loss, double p) {
        int outs = loss == Loss.BCE_WITH_LOGITS ? 1 : 4;
        Sequential fast = model(dt, act, outs, p).impl(UpdatePath.FUSED).inputGradient(true);
        Sequential ref = model(dt, act, outs, p).impl(UpdatePath.REFERENCE).inputGradient(true);
        double tol = dt == DataType.DOUBLE ? 1e-12 : 2e-5;
        for (int rows : new int[] {5, 11, 3}) {          // grows the workspace, then a smaller "last batch"
            Nd4j.getRandom().setSeed(rows);
            INDArray x = Nd4j.randn(dt, rows, 6), y = target(loss, rows, outs, dt);
            double lf = fast.lossAndGradients(x, y, loss), lr = ref.lossAndGradients(x, y, loss);
            Parity.assertClose(lr, lf, tol, "loss, rows " + rows);
            for (int i = 0; i < fast.params().size(); i++) {
                Param a = ref.params().get(i), b = fast.params().get(i);
                Parity.assertClose(a.grad(), b.grad(), b.name() + " grad, rows " + rows);
            }
            Parity.assertClose(ref.inputGradient(), fast.inputGradient(), "dL/dx, rows " + rows);
        }
        fast.eval();
        ref.eval();
        INDArray x = Nd4j.randn(dt, 13, 6);
        Parity.assertClose(ref.forward(x), fast.forward(x), "eval output");
    }

    @Test
    void gatheredRowsEqualPulledRows() {
        Sequential a = model(DataType.FLOAT, Activation.RELU, 3, 0.2),
                b = model(DataType.FLOAT, Activation.RELU, 3, 0.2);
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.randn(DataType.FLOAT, 20, 6), y = target(Loss.SOFTMAX_CROSS_ENTROPY, 20, 3, DataType.FLOAT);
        int[] perm = {4, 17, 0, 9, 9, 2, 13};
        double la = a.lossAndGradients(x, y, perm, 2, 6, Loss.SOFTMAX_CROSS_ENTROPY);
        int[] rows = {0, 9, 9, 2};
        double lb = b.lossAndGradients(Nd4j.pullRows(x, 1, rows), Nd4j.pullRows(y, 1, rows),
                Loss.SOFTMAX_CROSS_ENTROPY);
        assertEquals(lb, la, 0.0);
        for (int i = 0; i < a.params().size(); i++) {
            Parity.assertClose(b.params().get(i).grad(), a.params().get(i).grad(), "grad " + i);
        }
    }

    @Test
    void inputGradientIsSkippedUnlessAsked() {
        Sequential m = model(DataType.DOUBLE, Activation.TANH, 2, 0);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 6), y = Nd4j.randn(DataType.DOUBLE, 4, 2);
        m.lossAndGradients(x, y, Loss.MSE);
        assertNull(m.inputGradient());
        m.inputGradient(true).lossAndGradients(x, y, Loss.MSE);
        assertEquals(4, m.inputGradient().rows());
    }

    @Test
    void fusedIsRefusedForLayersItCannotRun() {
        Layer custom = new Layer() {
            @Override public INDArray forward(INDArray x) { return x; }
            @Override public INDArray backward(INDArray d) { return d; }
            @Override public List<Param> params() { return List.of(); }
            @Override public String name() { return "custom"; }
        };
        Sequential m = new Sequential(List.of(new Dense("fc", 2, 2, Activation.RELU, Init.HE_UNIFORM,
                DataType.FLOAT, 1), custom));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.impl(UpdatePath.FUSED));
        assertEquals("fused network path unavailable: layer 'custom' is not Dense or Dropout", e.getMessage());
    }

    static INDArray target(Loss loss, int rows, int outs, DataType dt) {
        if (loss == Loss.MSE) return Nd4j.randn(dt, rows, outs);
        INDArray y = Nd4j.zeros(dt, rows, outs);
        for (int r = 0; r < rows; r++) y.putScalar(r, outs == 1 ? 0 : r % outs, outs == 1 ? r % 2 : 1);
        return y;
    }
}
