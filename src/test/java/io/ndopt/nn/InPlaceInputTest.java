package io.ndopt.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ndopt.internal.passes.Buf;
import io.ndopt.internal.passes.FusedPasses;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code lossAndGradients(x, y, loss)} reads the caller's arrays in place (no copy into the workspace): the result is
 * bit for bit the copying path's ({@code lossAndGradients} over rows {@code 0..n} in order), the arrays are left
 * unchanged, an array changed between calls or a row-range view is read as it is now; and the float32
 * identity/ReLU passes (float arithmetic) give the bits of the double-then-round definition.
 */
class InPlaceInputTest {
    private static Sequential model() {
        return Sequential.mlp(6, new int[] {9, 7}, 3, Activation.RELU, Activation.IDENTITY, DataType.FLOAT, 5);
    }

    private static INDArray onehot(int rows, int seed) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, 3);
        for (int i = 0; i < rows; i++) y.putScalar(i, (i * 7 + seed) % 3, 1.0);
        return y;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    private static void assertSameStep(Sequential copied, Sequential inPlace, double lc, double li) {
        assertEquals(lc, li, 0.0, "loss");
        for (int i = 0; i < copied.params().size(); i++) {
            assertArrayEquals(copied.params().get(i).grad().data().asFloat(), inPlace.params().get(i).grad().data().asFloat(),
                    "grad " + i);
        }
    }

    @Test
    void inPlaceEqualsCopiedBitForBitAndLeavesTheArraysAlone() {
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.randn(DataType.FLOAT, 11, 6), y = onehot(11, 1);
        INDArray x0 = x.dup(), y0 = y.dup();
        Sequential a = model(), b = model();
        double lc = a.lossAndGradients(x, y, identity(11), 0, 11, Loss.SOFTMAX_CROSS_ENTROPY);
        double li = b.lossAndGradients(x, y, Loss.SOFTMAX_CROSS_ENTROPY);
        assertSameStep(a, b, lc, li);
        assertArrayEquals(x0.data().asFloat(), x.data().asFloat());
        assertArrayEquals(y0.data().asFloat(), y.data().asFloat());
    }

    @Test
    void anArrayChangedBetweenCallsAndARowViewAreReadAsTheyAreNow() {
        Nd4j.getRandom().setSeed(3);
        INDArray x1 = Nd4j.randn(DataType.FLOAT, 8, 6), x2 = Nd4j.randn(DataType.FLOAT, 8, 6), y = onehot(8, 2);
        Sequential a = model(), b = model();
        INDArray reused = x1.dup();
        b.lossAndGradients(reused, y, Loss.SOFTMAX_CROSS_ENTROPY);
        reused.assign(x2);                                                 // the caller's batch buffer, refilled
        double li = b.lossAndGradients(reused, y, Loss.SOFTMAX_CROSS_ENTROPY);
        double lc = a.lossAndGradients(x2, y, identity(8), 0, 8, Loss.SOFTMAX_CROSS_ENTROPY);
        assertSameStep(a, b, lc, li);

        INDArray big = Nd4j.randn(DataType.FLOAT, 20, 6), bigY = onehot(20, 3);
        INDArray view = big.get(NDArrayIndex.interval(5, 13), NDArrayIndex.all());
        INDArray viewY = bigY.get(NDArrayIndex.interval(5, 13), NDArrayIndex.all());
        li = b.lossAndGradients(view, viewY, Loss.SOFTMAX_CROSS_ENTROPY);
        lc = a.lossAndGradients(view.dup(), viewY.dup(), identity(8), 0, 8, Loss.SOFTMAX_CROSS_ENTROPY);
        assertSameStep(a, b, lc, li);
    }

    @Test
    void float32ReluPassesRoundLikeTheDoubleDefinition() {
        Nd4j.getRandom().setSeed(4);
        int rows = 5, n = 7;
        INDArray z = Nd4j.randn(DataType.FLOAT, rows, n), b = Nd4j.randn(DataType.FLOAT, 1, n);
        z.putScalar(0, 0, -0.0);
        z.putScalar(1, 1, Float.NaN);
        for (int act : new int[] {FusedPasses.IDENTITY, FusedPasses.RELU}) {
            INDArray zz = z.dup(), a = Nd4j.create(DataType.FLOAT, rows, n);
            FusedPasses.biasActivation(Buf.of(zz), Buf.of(b), Buf.of(a), rows, n, act);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < n; j++) {
                    double v = (double) z.getFloat(r, j) + b.getFloat(j);
                    float want = (float) (act == FusedPasses.RELU && v <= 0 ? 0 : v);
                    assertEquals(Float.floatToRawIntBits((float) v), Float.floatToRawIntBits(zz.getFloat(r, j)));
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(a.getFloat(r, j)));
                }
            }
            INDArray d = Nd4j.randn(DataType.FLOAT, rows, n), d0 = d.dup(), db = Nd4j.create(DataType.FLOAT, 1, n);
            FusedPasses.activationBackward(Buf.of(zz), Buf.of(a), Buf.of(d), rows, n, act, new double[n], Buf.of(db));
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int r = 0; r < rows; r++) {
                    float want = act == FusedPasses.RELU && !(zz.getFloat(r, j) > 0) ? 0f : d0.getFloat(r, j);
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(d.getFloat(r, j)));
                    sum += want;
                }
                assertEquals(Float.floatToRawIntBits((float) sum), Float.floatToRawIntBits(db.getFloat(j)));
            }
        }
    }
}
