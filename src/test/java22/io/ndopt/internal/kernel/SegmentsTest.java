package io.ndopt.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The segment of an array is the array: same bytes, from the view's offset, writes visible both ways. */
class SegmentsTest {
    @Test
    void segmentOfAViewStartsAtItsOffsetAndAliasesTheArray() {
        INDArray all = Nd4j.createFromArray(1f, 2f, 3f, 4f, 5f, 6f);
        INDArray row = all.reshape(2, 3).getRow(1);              // 4, 5, 6 at offset 3
        var seg = Segments.of(row);
        assertEquals(3 * Float.BYTES, seg.byteSize());
        assertEquals(4f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, 0));
        assertEquals(6f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, 2));
        seg.setAtIndex(ValueLayout.JAVA_FLOAT, 1, -7f);
        assertEquals(-7f, all.getFloat(4));
        all.putScalar(5, 9.5f);
        assertEquals(9.5f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, 2));
    }

    @Test
    void doublesAndStridedViews() {
        INDArray d = Nd4j.createFromArray(0.25, 0.5).castTo(DataType.DOUBLE);
        assertEquals(0.5, Segments.of(d).getAtIndex(ValueLayout.JAVA_DOUBLE, 1));
        INDArray column = Nd4j.create(DataType.FLOAT, 3, 3).get(NDArrayIndex.all(), NDArrayIndex.point(1));
        assertThrows(IllegalArgumentException.class, () -> Segments.of(column));
    }
}
