package io.ndopt.nn;

import io.ndopt.internal.passes.Buf;

import io.ndopt.param.Param;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: in training mode each element is kept with probability {@code 1 − p} and scaled
 * by {@code 1/(1 − p)} (so no rescaling is needed at evaluation), {@code out = x ⊙ m},
 * {@code m_i ∈ {0, 1/(1−p)}}; backward is {@code dx = dOut ⊙ m}. In evaluation mode it is the identity.
 *
 * <p>The masks are reproducible: element {@code i} of draw {@code k} keeps iff
 * {@code u(seed, k, i) ≥ p}, where {@code u} is a counter-based uniform (SplitMix64 of the three).
 * So the RNG state is one counter, {@link #draws()}: the {@code Trainer} sets it to the global step
 * before each step ({@link Sequential#position}), which the checkpoint already holds, so a resumed
 * run draws exactly the masks of an uninterrupted one.
 */
public final class Dropout implements Layer {
    private final String name;
    private final double p;
    private final long seed;
    private long draws;
    private boolean training = true;
    private INDArray mask;

    public Dropout(String name, double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout '" + name + "': p must be in [0, 1), got " + p);
        }
        this.name = name;
        this.p = p;
        this.seed = seed;
    }

    /** Uniform in [0, 1) for element {@code i} of draw {@code k}: SplitMix64's finalizer over a Weyl sequence. */
    static double uniform(long seed, long k, long i) {
        long z = seed + k * 0x9E3779B97F4A7C15L + (i + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    /** Fills {@code mask[0, len)} with draw {@link #draws()}'s mask values and advances the counter. */
    /** Draws the next mask into the first {@code len} elements of {@code mask} (a dense float or double array). */
    public void drawMask(INDArray mask, int len) { drawMask(Buf.of(mask), len); }

    void drawMask(Buf mask, int len) {
        double scale = 1 / (1 - p);
        for (int i = 0; i < len; i++) mask.set(i, uniform(seed, draws, i) >= p ? scale : 0);
        draws++;
    }

    /** Reference: builds the mask as an ND4J array with the same rule, then {@code x ⊙ m}. */
    @Override public INDArray forward(INDArray x) {
        if (!training || p == 0) {
            mask = null;
            return x;
        }
        double scale = 1 / (1 - p);
        double[] m = new double[Math.toIntExact(x.length())];
        for (int i = 0; i < m.length; i++) m[i] = uniform(seed, draws, i) >= p ? scale : 0;
        draws++;
        mask = Nd4j.createFromArray(m).reshape('c', x.shape()).castTo(x.dataType());
        return x.mul(mask);
    }

    @Override public INDArray backward(INDArray dOut) {
        return mask == null ? dOut : dOut.mul(mask);
    }

    /** Whether this layer currently drops (training mode and p > 0). */
    public boolean active() { return training && p > 0; }

    void training(boolean on) { this.training = on; }

    @Override public List<Param> params() { return List.of(); }
    @Override public String name() { return name; }
    public double p() { return p; }
    public long seed() { return seed; }
    /** How many masks were drawn so far: the RNG state. */
    public long draws() { return draws; }
    /** Sets the RNG state (the next mask is draw {@code k}). */
    public void draws(long k) {
        if (k < 0) throw new IllegalArgumentException("dropout '" + name + "': draw counter must be >= 0, got " + k);
        this.draws = k;
    }
}
