package io.ndopt;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reproducible random arrays from java.util.Random (ND4J's RNG is not reproducible for every shape). */
public final class TestArrays {
    private TestArrays() {}

    public static INDArray randn(DataType dt, Random r, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        return Nd4j.createFromArray(v).castTo(dt).reshape('c', shape);
    }
}
