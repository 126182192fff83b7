package io.ndopt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Hand-computed standardization; the in-place form gives the copying form's values and overwrites only its input. */
class StandardizerTest {
    @Test void inPlaceEqualsTheCopyAndAConstantColumnMapsToZero() {
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 10, -2}, {3, 10, 2}, {5, 10, 0}});
        Standardizer s = Standardizer.fit(x);
        float sd = (float) Math.sqrt(8.0 / 3);           // both varying columns: population variance 8/3
        assertArrayEquals(new float[] {3, 10, 0}, s.mean().toFloatVector());
        assertArrayEquals(new float[] {sd, 1, sd}, s.std().toFloatVector(), 1e-6f);
        INDArray copy = s.apply(x);
        assertArrayEquals(new float[] {1, 10, -2}, x.getRow(0).toFloatVector());        // apply leaves x alone
        INDArray other = Nd4j.createFromArray(new float[][] {{1, 10, -2}, {3, 10, 2}, {5, 10, 0}});
        Dataset d = new Dataset(other, Nd4j.zeros(DataType.FLOAT, 3, 1), 0);
        assertSame(d, s.applyInPlace(d));
        float[][] want = {{-2 / sd, 0, -2 / sd}, {0, 0, 2 / sd}, {2 / sd, 0, 0}};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(want[i], copy.getRow(i).toFloatVector(), 1e-6f);
            assertArrayEquals(copy.getRow(i).toFloatVector(), other.getRow(i).toFloatVector(), 0f);   // bit for bit
        }
    }
}
