package io.ndopt.regularize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NaN in, NaN out in every prox (reference, per-weight factors, flat buffers, elastic net, group lasso), and
 * the finite results bit for bit the three-branch rule's: {@code z − t} above, {@code z + t} below, {@code +0.0}
 * in the band.
 */
class ProxNanTest {
    private static final double[] Z = {Double.NaN, 0.75, -0.75, 0.1, -0.1, 0.3, -0.3, 0.0, -0.0,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300, 3.0000001};
    private static final double T = 0.3;

    private static double branches(double z, double t) {
        return z > t ? z - t : z < -t ? z + t : 0.0;
    }

    private static void assertSoft(double z, double t, double actual, String where) {
        if (Double.isNaN(z)) {
            assertTrue(Double.isNaN(actual), where + ": NaN must stay NaN, got " + actual);
        } else {
            assertEquals(Double.doubleToRawLongBits(branches(z, t)), Double.doubleToRawLongBits(actual),
                    where + ": z = " + z + " gave " + actual);
        }
    }

    @Test void scalarSoftThresholdKeepsNaN() {
        for (double z : Z) {
            assertSoft(z, T, Prox.softThreshold(z, T), "double");
            float f = Prox.softThreshold((float) z, (float) T);
            if (Double.isNaN(z)) assertTrue(Float.isNaN(f), "float NaN");
            else assertEquals(Float.floatToRawIntBits((float) branches((float) z, (float) T)), Float.floatToRawIntBits(f),
                    "float " + z);
        }
        assertTrue(Double.isNaN(Prox.elasticNet(Double.NaN, 0.1, 1, 1)), "elastic net");
    }

    @Test void arraySoftThresholdKeepsNaNInBothDtypes() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = Nd4j.createFromArray(Z).castTo(dt);
            Prox.softThresholdi(a, T);
            for (int i = 0; i < Z.length; i++) {
                double z = dt == DataType.FLOAT ? (float) Z[i] : Z[i];
                double t = dt == DataType.FLOAT ? (float) T : T;
                double got = a.getDouble(i);
                if (dt == DataType.FLOAT && !Double.isNaN(z)) assertEquals((float) branches(z, t), (float) got, dt + " " + z);
                else assertSoft(z, t, got, dt.toString());
            }
        }
    }

    @Test void perWeightFactorsKeepNaNOnBothPaths() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray f = Nd4j.ones(dt, Z.length);
            f.putScalar(1, 0.0);                                        // factor 0: w[1] left alone
            INDArray ref = Nd4j.createFromArray(Z).castTo(dt), flat = ref.dup();
            GroupProx.softThresholdi(ref, f, T);
            FlatGroupProx.softThresholdi(flat, f, T);
            for (INDArray a : new INDArray[] {ref, flat}) {
                assertTrue(Double.isNaN(a.getDouble(0)), dt + ": NaN stays NaN");
                assertEquals(0.75, a.getDouble(1), 0.0, dt + ": factor 0");
                assertEquals(0.0, a.getDouble(3), 0.0);
                assertEquals(Double.POSITIVE_INFINITY, a.getDouble(9), 0.0);
            }
        }
    }

    @Test void groupLassoMakesTheGroupOfANaNNaNAndLeavesTheOthers() {
        INDArray w = Nd4j.createFromArray(new double[][] {{Double.NaN, 1.0}, {3.0, 4.0}});
        INDArray flat = w.dup();
        GroupProx.groupShrinki(w, Grouping.rows(), new double[] {1, 1}, 1.0);
        FlatGroupProx.groupShrinki(flat, Grouping.rows(), new double[] {1, 1}, 1.0, new double[2]);
        for (INDArray a : new INDArray[] {w, flat}) {
            assertTrue(Double.isNaN(a.getDouble(0, 0)) && Double.isNaN(a.getDouble(0, 1)), a.toString());
            assertEquals(3.0 * 0.8, a.getDouble(1, 0), 1e-15);
        }
    }
}
