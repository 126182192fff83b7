package io.ndopt.nn;

import io.ndopt.internal.gpusuite.Tolerance;
import io.ndopt.internal.passes.Buf;
import io.ndopt.internal.passes.FusedPasses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ndopt.Parity;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Each fused pass equals its ND4J reference by {@link Parity}: float64 to 1e-12, float32 to 1e-5, no ties. */
class KernelParityTest {
    static Stream<Arguments> activations() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (Activation a : Activation.values()) b.add(Arguments.of(a, dt));
        }
        return b.build();
    }

    static Stream<Arguments> losses() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (Loss l : Loss.values()) b.add(Arguments.of(l, dt));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("activations")
    void biasActivationEqualsReference(Activation act, DataType dt) {
        Nd4j.getRandom().setSeed(3);
        INDArray z = Nd4j.randn(dt, 7, 5).muli(3), b = Nd4j.randn(dt, 1, 5);
        INDArray expected = act.forward(z.addRowVector(b));
        INDArray zf = z.dup(), a = Nd4j.create(dt, 7, 5);
        FusedPasses.biasActivation(Buf.of(zf), Buf.of(b), Buf.of(a), 7, 5, act.ordinal());
        Parity.assertClose(z.addRowVector(b), zf, "z + b");
        Parity.assertClose(expected, a, act + " forward");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("activations")
    void activationBackwardEqualsReference(Activation act, DataType dt) {
        Nd4j.getRandom().setSeed(4);
        INDArray z = Nd4j.randn(dt, 6, 4).muli(2), a = act.forward(z), dA = Nd4j.randn(dt, 6, 4);
        INDArray dZ = act.backward(z, a, dA);
        INDArray d = dA.dup(), db = Nd4j.create(dt, 1, 4);
        FusedPasses.activationBackward(Buf.of(z), Buf.of(a), Buf.of(d), 6, 4, act.ordinal(), new double[4], Buf.of(db));
        Parity.assertClose(dZ, d, act + " dZ");
        Parity.assertClose(dZ.sum(true, 0), db, act + " db");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("losses")
    void lossAndGradientEqualReference(Loss loss, DataType dt) {
        Nd4j.getRandom().setSeed(5);
        int n = loss == Loss.BCE_WITH_LOGITS ? 1 : 3, rows = 9;
        INDArray out = Nd4j.randn(dt, rows, n).muli(4), y = Nd4j.zeros(dt, rows, n);
        for (int r = 0; r < rows; r++) {
            if (loss == Loss.MSE) y.putRow(r, Nd4j.randn(dt, 1, n));
            else y.putScalar(r, n == 1 ? 0 : r % n, n == 1 ? r % 2 : 1);
        }
        INDArray g = Nd4j.create(dt, rows, n);
        double v = FusedPasses.lossAndGradient(loss.ordinal(), Buf.of(out), Buf.of(y), Buf.of(g), rows, n);
        Parity.assertClose(loss.value(out, y), v, Tolerance.parity(dt == DataType.FLOAT).rel(), loss + " value");
        Parity.assertClose(loss.gradient(out, y), g, loss + " gradient");
    }

    /** The passes (and the GPU kernels) take activations and losses by ordinal: the codes must name the same thing. */
    @Test
    void passCodesAreTheEnumOrdinals() throws ReflectiveOperationException {
        for (Activation a : Activation.values()) {
            assertEquals(a.ordinal(), FusedPasses.class.getField(a.name()).getInt(null), a.name());
        }
        for (Loss l : Loss.values()) {
            assertEquals(l.ordinal(), FusedPasses.class.getField(l.name()).getInt(null), l.name());
        }
        assertEquals(Activation.values().length, 6, "FusedPasses has six activation codes");
    }

    @Test
    void bufferOfAViewStartsAtTheViewsFirstElement() {
        INDArray flat = Nd4j.arange(0, 20).castTo(DataType.FLOAT);
        INDArray view = flat.get(NDArrayIndex.interval(6, 18)).reshape('c', 3, 4);
        Buf b = Buf.of(view);
        assertEquals(12, b.length);
        for (int i = 0; i < 12; i++) assertEquals(6 + i, b.get(i), 0.0);
        b.set(0, -1);
        assertEquals(-1, flat.getDouble(6), 0.0);
    }
}
