package io.ndopt.regularize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.TestArrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Hand-derived closed forms of the group prox, and its optimality condition. */
class GroupProxTest {
    @Test
    void groupBelowThresholdLandsOnExactZero() {
        // rows [3, 4] (norm 5) and [0.3, 0.4] (norm 0.5); t = 0.5, c = √2 → threshold 0.7071
        INDArray w = Nd4j.createFromArray(new double[][] {{3, 4}, {0.3, 0.4}});
        GroupProx.groupShrinki(w, Grouping.rows(), new double[] {Math.sqrt(2), Math.sqrt(2)}, 0.5);
        assertEquals(0.0, w.getDouble(1, 0), 0.0);
        assertEquals(0.0, w.getDouble(1, 1), 0.0);
        // the other row shrinks by exactly t·c along its own direction: (1 − 0.7071/5)·[3, 4]
        double s = 1 - 0.5 * Math.sqrt(2) / 5;
        assertEquals(3 * s, w.getDouble(0, 0), 1e-15);
        assertEquals(4 * s, w.getDouble(0, 1), 1e-15);
        assertEquals(5 - 0.5 * Math.sqrt(2), w.getRow(0).norm2Number().doubleValue(), 1e-14);
    }

    @Test
    void columnsAndIndexGroupsShrinkByExactlyTheirThreshold() {
        Random r = new Random(5);
        INDArray z = TestArrays.randn(DataType.DOUBLE, r, 6, 4);
        double t = 0.3;
        double[] c = {0.5, 2, 1, 0};
        INDArray w = z.dup();
        GroupProx.groupShrinki(w, Grouping.columns(), c, t);
        for (int j = 0; j < 4; j++) {
            double before = z.getColumn(j).norm2Number().doubleValue(),
                    after = w.getColumn(j).norm2Number().doubleValue();
            double expected = Math.max(0, before - t * c[j]);
            assertEquals(expected, after, 1e-12, "column " + j);
            if (after > 0) {   // same direction: w_j = (after / before)·z_j
                for (int i = 0; i < 6; i++) assertEquals(z.getDouble(i, j) * after / before, w.getDouble(i, j), 1e-12);
            }
        }
        assertEquals(z.getColumn(3), w.getColumn(3), "c = 0 leaves the group unpenalized");

        INDArray v = Nd4j.createFromArray(1.0, 2.0, 2.0, 0.1, 0.1, 7.0);
        GroupProx.groupShrinki(v, Grouping.indices(new int[][] {{0, 1, 2}, {3, 4}}), new double[] {1, 1}, 1.0);
        assertEquals(2 / 3.0, v.getDouble(0), 1e-15);                 // norm 3 → 2
        assertEquals(4 / 3.0, v.getDouble(1), 1e-15);
        assertEquals(0.0, v.getDouble(3), 0.0);                       // norm 0.14 ≤ 1
        assertEquals(0.0, v.getDouble(4), 0.0);
        assertEquals(7.0, v.getDouble(5), 0.0);                       // in no group
    }

    @Test
    void zeroGroupStaysZeroAndScaleHasThreeCases() {
        assertEquals(0, GroupProx.scale(0, 0.1));
        assertEquals(0, GroupProx.scale(0.1, 0.1));
        assertEquals(0.5, GroupProx.scale(0.2, 0.1), 1e-16);
        assertEquals(1, GroupProx.scale(0.0, 0.0));
        INDArray w = Nd4j.zeros(DataType.DOUBLE, 3, 2);
        GroupProx.groupShrinki(w, Grouping.rows(), new double[] {1, 1, 1}, 0.2);
        assertEquals(0, w.norm1Number().doubleValue(), 0.0);
    }

    @Test
    void resultSatisfiesTheOptimalityCondition() {
        // w minimizes (1/2)‖w − z‖² + t·c‖w‖: for w ≠ 0, z − w = t·c·w/‖w‖; for w = 0, ‖z‖ ≤ t·c
        Random r = new Random(9);
        INDArray z = TestArrays.randn(DataType.DOUBLE, r, 5, 8).muli(0.4);
        double t = 0.25;
        double[] c = new double[5];
        for (int i = 0; i < 5; i++) c[i] = Math.sqrt(8);
        INDArray w = z.dup();
        GroupProx.groupShrinki(w, Grouping.rows(), c, t);
        int zeros = 0;
        for (int i = 0; i < 5; i++) {
            INDArray wi = w.getRow(i), zi = z.getRow(i);
            double n = wi.norm2Number().doubleValue();
            if (n == 0) {
                zeros++;
                assertTrue(zi.norm2Number().doubleValue() <= t * c[i]);
            } else {
                INDArray grad = zi.sub(wi).sub(wi.mul(t * c[i] / n));
                assertEquals(0, grad.norm2Number().doubleValue(), 1e-12);
            }
        }
        assertTrue(zeros > 0 && zeros < 5, "the data has groups on both sides of the threshold, got " + zeros
                + " zero rows");
    }

    @Test
    void perWeightFactorsScaleTheSoftThreshold() {
        INDArray w = Nd4j.createFromArray(1.0, -1.0, 0.5, -0.05);
        GroupProx.softThresholdi(w, Nd4j.createFromArray(0.0, 2.0, 1.0, 1.0), 0.1);
        assertEquals(1.0, w.getDouble(0), 0.0);       // factor 0: unpenalized
        assertEquals(-0.8, w.getDouble(1), 1e-15);     // threshold 0.2
        assertEquals(0.4, w.getDouble(2), 1e-15);
        assertEquals(0.0, w.getDouble(3), 0.0);
    }

    @Test
    void badGroupsAreRejectedNamingTheProblem() {
        var e = assertThrows(IllegalArgumentException.class, () -> Grouping.indices(new int[][] {{0, 1}, {1, 2}}));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grouping.rows().count("w", new long[] {6}));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Grouping.indices(new int[][] {{0, 9}}).count("w", new long[] {6}));
        assertTrue(e.getMessage().contains("index 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GroupLasso.rows(0.1).withWeights(1, 2).coefficients("W", new long[] {3, 2}, null));
        assertTrue(e.getMessage().contains("2 weights"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GroupLasso.rows(-1));
        assertThrows(IllegalArgumentException.class, () -> GroupLasso.rows(0.1).withWeights(-1));
    }
}
