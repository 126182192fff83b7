package io.ndopt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ndopt.nn.Activation;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Init;
import io.ndopt.nn.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Zeros are exact: tiny weights (which ND4J's Conditions.equals(0) counts as zero) are not zeros. */
class SparsityReportTest {
    @Test
    void countsOnlyExactZeros() {
        Dense d = new Dense("fc", 2, 3, Activation.RELU, Init.XAVIER_UNIFORM, DataType.FLOAT, 1);
        d.weight().setValue(Nd4j.createFromArray(new float[][] {{0f, 1e-7f, 0f}, {0f, -2e-6f, 0.5f}}));
        SparsityReport r = SparsityReport.of(new Sequential(List.of(d)));
        assertEquals(3, r.zeroWeights());
        assertEquals(1, r.layers().get(0).deadUnits(), "only column 0 is exactly zero");
    }
}
