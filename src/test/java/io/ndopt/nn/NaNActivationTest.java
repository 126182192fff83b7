package io.ndopt.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.internal.passes.Buf;
import io.ndopt.internal.passes.FusedPasses;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** NaN in, NaN out through ReLU on every path: a NaN weight may not vanish into a finite loss (relu(NaN) = NaN, as PyTorch's). */
class NaNActivationTest {
    @Test
    void reluKeepsNaNOnTheReferenceAndFusedPaths() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            var z = Nd4j.createFromArray(Double.NaN, -1.0, 2.0, -0.0).castTo(dt).reshape(1, 4);
            var ref = Activation.RELU.forward(z.dup());
            var fused = z.dup();
            FusedPasses.biasActivation(Buf.of(fused), Buf.of(Nd4j.zeros(dt, 1, 4)), Buf.of(fused), 1, 4, FusedPasses.RELU);
            for (var a : new org.nd4j.linalg.api.ndarray.INDArray[] {ref, fused}) {
                assertTrue(Double.isNaN(a.getDouble(0)), dt + " " + a);
                assertEquals(0.0, a.getDouble(1));
                assertEquals(2.0, a.getDouble(2));
                assertTrue(a.getDouble(3) == 0, "relu(-0) is a zero: " + a);
            }
        }
    }
}
