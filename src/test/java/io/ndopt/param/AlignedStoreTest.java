package io.ndopt.param;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The flat buffers start on a cache line, hold exactly the packed elements, and start as zeros. */
class AlignedStoreTest {
    private static long misalignment(INDArray a) { return a.data().addressPointer().address() % FlatStore.ALIGNMENT; }

    @Test
    void alignedZerosStartOnACacheLineForEveryDtypeAndLength() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (long n : new long[] {1, 3, 17, 1000, 70001}) {
                for (int k = 0; k < 4; k++) {   // several allocations: ND4J's own start moves by 16 bytes
                    INDArray a = FlatStore.alignedZeros(dt, n);
                    assertEquals(0, misalignment(a), dt + " n=" + n);
                    assertEquals(n, a.length());
                    assertEquals(dt, a.dataType());
                    assertEquals(0.0, a.amaxNumber().doubleValue(), 0.0);
                    assertEquals(1, a.elementWiseStride());
                }
            }
        }
        assertEquals(0, FlatStore.alignedZeros(DataType.FLOAT, 0).length());
    }

    @Test
    void packedValuesAndGradientsAreAlignedAndKeepTheirNumbers() {
        INDArray w = Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 6}).reshape(2, 3);
        INDArray b = Nd4j.createFromArray(new float[] {-1, -2});
        Param pw = Param.weight("w", w.dup()), pb = Param.bias("b", b.dup());
        pw.setGrad(w.mul(10));
        pb.setGrad(b.mul(10));
        FlatStore store = FlatStore.pack(List.of(pw, pb));
        assertEquals(0, misalignment(store.values()));
        assertEquals(0, misalignment(store.grads()));
        assertEquals(8, store.values().length());
        assertEquals(w, pw.value());
        assertEquals(b, pb.value());
        assertEquals(w.mul(10), pw.grad());
        assertEquals(Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 6, -1, -2}), store.values());
    }
}
