package io.ndopt.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link Npy#write} streamed in blocks gives numpy's bytes, for arrays that own their buffer and for views. */
class NpyTest {
    @Test void aSmallFloatArrayIsNumpysBytes() {
        byte[] b = Npy.write(Nd4j.createFromArray(new float[][] {{1, 2}, {3, -0.5f}}));
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
        int data = 10 + header.length() + 1 + 63 & -64;        // the header is padded to a multiple of 64 bytes
        assertEquals(data + 16, b.length);
        assertEquals(header, new String(b, 10, header.length(), StandardCharsets.US_ASCII));
        assertEquals('\n', b[data - 1]);
        ByteBuffer d = ByteBuffer.wrap(b, data, 16).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1f, d.getFloat());
        assertEquals(2f, d.getFloat());
        assertEquals(3f, d.getFloat());
        assertEquals(-0.5f, d.getFloat());
    }

    @Test void blocksViewsAndOrdersRoundTrip() throws Exception {
        INDArray big = Nd4j.rand(DataType.FLOAT, 700, 500);              // 1.3 MiB: more than one block
        INDArray d = Nd4j.rand(DataType.DOUBLE, 300, 400);
        INDArray[] cases = {big, d, d.get(NDArrayIndex.interval(7, 290), NDArrayIndex.all()), d.transpose(),
                big.dup('f'), Nd4j.createFromArray(new long[] {1, -2, Long.MAX_VALUE}), Nd4j.create(DataType.FLOAT, 0)};
        for (INDArray a : cases) {
            byte[] b = Npy.write(a);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Npy.write(a, out);
            assertArrayEquals(b, out.toByteArray());
            INDArray back = Npy.read(b, "case");
            assertArrayEquals(a.shape(), back.shape());
            assertEquals(a.dup('c'), back);
        }
    }
}
