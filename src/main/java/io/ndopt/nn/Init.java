package io.ndopt.nn;

import io.ndopt.internal.validate.EnumNames;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight initializers for a {@code [fanIn, fanOut]} matrix, drawn from a seeded Java RNG so a seed
 * gives the same weights on every backend.
 */
public enum Init {
    /** U(−a, a), a = sqrt(6 / (fanIn + fanOut)). */
    XAVIER_UNIFORM,
    /** N(0, 2 / (fanIn + fanOut)). */
    XAVIER_NORMAL,
    /** U(−a, a), a = sqrt(6 / fanIn) (Kaiming, ReLU gain). */
    HE_UNIFORM,
    /** N(0, 2 / fanIn). */
    HE_NORMAL;

    public INDArray sample(long fanIn, long fanOut, DataType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[Math.toIntExact(fanIn * fanOut)];
        double limit = switch (this) {
            case XAVIER_UNIFORM -> Math.sqrt(6.0 / (fanIn + fanOut));
            case HE_UNIFORM -> Math.sqrt(6.0 / fanIn);
            case XAVIER_NORMAL -> Math.sqrt(2.0 / (fanIn + fanOut));
            case HE_NORMAL -> Math.sqrt(2.0 / fanIn);
        };
        boolean uniform = this == XAVIER_UNIFORM || this == HE_UNIFORM;
        for (int i = 0; i < w.length; i++) w[i] = uniform ? rng.nextDouble(-limit, limit) : limit * gaussian(rng);
        return Nd4j.createFromArray(w).reshape('c', fanIn, fanOut).castTo(dtype);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble(), u2 = rng.nextDouble();   // Box–Muller
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Parses an init name, case-insensitively and with {@code -} for {@code _} ({@code he-uniform}). */
    public static Init parse(String s) {
        return EnumNames.parse("init", s, values(), EnumNames.LOWER_UNDERSCORE);
    }

    /** He for the ReLU family, Xavier otherwise. */
    public static Init defaultFor(Activation a) {
        return a == Activation.RELU || a == Activation.LEAKY_RELU ? HE_UNIFORM : XAVIER_UNIFORM;
    }
}
