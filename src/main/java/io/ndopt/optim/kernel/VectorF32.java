package io.ndopt.optim.kernel;

import io.ndopt.optim.Rule;
import io.ndopt.optim.StepScalars;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused single-pass float32 kernels over direct buffers with the JDK Vector API: read p, g and the
 * state once, write p and the state once. Same arithmetic, in the same order, as
 * {@link io.ndopt.optim.ReferenceUpdate}. Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int B = Float.BYTES;
    private static final ByteOrder NO = ByteOrder.nativeOrder();

    private VectorF32() {}

    static void sgd(Rule.Sgd r, StepScalars s, ByteBuffer pb, ByteBuffer gb, ByteBuffer bufb, int n) {
        final float gs = (float) s.gradScale(), decay = (float) s.decayFactor(), l2 = (float) s.l2();
        final float lr = (float) s.lr(), thr = (float) s.threshold();
        final float mu = (float) r.momentum(), omd = (float) (1 - r.dampening());
        final boolean hasMomentum = r.momentum() != 0, first = s.t() == 1, nesterov = r.nesterov();
        final boolean hasDecay = s.decayFactor() != 1, hasL2 = s.l2() != 0, hasProx = s.threshold() > 0;
        Parallel.forRange(n, 64, (from, to) -> {
            int i = from;
            for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
                int o = i * B;
                FloatVector p = FloatVector.fromByteBuffer(S, pb, o, NO);
                FloatVector d = FloatVector.fromByteBuffer(S, gb, o, NO).mul(gs);
                if (hasL2) d = d.add(p.mul(l2));
                if (hasDecay) p = p.mul(decay);
                if (hasMomentum) {
                    FloatVector buf = first ? d : FloatVector.fromByteBuffer(S, bufb, o, NO).mul(mu).add(d.mul(omd));
                    buf.intoByteBuffer(bufb, o, NO);
                    d = nesterov ? d.add(buf.mul(mu)) : buf;
                }
                p = p.add(d.mul(-lr));
                if (hasProx) p = soft(p, thr);
                p.intoByteBuffer(pb, o, NO);
            }
            for (; i < to; i++) {
                int o = i * B;
                float p = pb.getFloat(o);
                float d = gb.getFloat(o) * gs;
                if (hasL2) d = d + p * l2;
                if (hasDecay) p = p * decay;
                if (hasMomentum) {
                    float buf = first ? d : bufb.getFloat(o) * mu + d * omd;
                    bufb.putFloat(o, buf);
                    d = nesterov ? d + buf * mu : buf;
                }
                p = p + d * -lr;
                if (hasProx) p = soft(p, thr);
                pb.putFloat(o, p);
            }
        });
    }

    static void adam(Rule.Adam r, StepScalars s, ByteBuffer pb, ByteBuffer gb, ByteBuffer mb, ByteBuffer vb,
                     ByteBuffer vmaxb, int n) {
        final float gs = (float) s.gradScale(), decay = (float) s.decayFactor(), l2 = (float) s.l2();
        final float thr = (float) s.threshold();
        final float b1 = (float) r.beta1(), b2 = (float) r.beta2();
        final float omb1 = (float) (1 - r.beta1()), omb2 = (float) (1 - r.beta2());
        final float eps = (float) r.eps();
        final float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(r.beta2(), s.t()));
        final float negStep = (float) -(s.lr() / (1 - Math.pow(r.beta1(), s.t())));
        final boolean hasDecay = s.decayFactor() != 1, hasL2 = s.l2() != 0, hasProx = s.threshold() > 0;
        final boolean ams = r.amsgrad();
        Parallel.forRange(n, 64, (from, to) -> {
            int i = from;
            for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
                int o = i * B;
                FloatVector p = FloatVector.fromByteBuffer(S, pb, o, NO);
                FloatVector d = FloatVector.fromByteBuffer(S, gb, o, NO).mul(gs);
                if (hasL2) d = d.add(p.mul(l2));
                if (hasDecay) p = p.mul(decay);
                FloatVector m = FloatVector.fromByteBuffer(S, mb, o, NO).mul(b1).add(d.mul(omb1));
                FloatVector v = FloatVector.fromByteBuffer(S, vb, o, NO).mul(b2).add(d.mul(d).mul(omb2));
                m.intoByteBuffer(mb, o, NO);
                v.intoByteBuffer(vb, o, NO);
                if (ams) {
                    v = FloatVector.fromByteBuffer(S, vmaxb, o, NO).max(v);
                    v.intoByteBuffer(vmaxb, o, NO);
                }
                FloatVector denom = v.sqrt().div(bc2Sqrt).add(eps);
                p = p.add(m.div(denom).mul(negStep));
                if (hasProx) p = soft(p, thr);
                p.intoByteBuffer(pb, o, NO);
            }
            for (; i < to; i++) {
                int o = i * B;
                float p = pb.getFloat(o);
                float d = gb.getFloat(o) * gs;
                if (hasL2) d = d + p * l2;
                if (hasDecay) p = p * decay;
                float m = mb.getFloat(o) * b1 + d * omb1;
                float v = vb.getFloat(o) * b2 + d * d * omb2;
                mb.putFloat(o, m);
                vb.putFloat(o, v);
                if (ams) {
                    v = Math.max(vmaxb.getFloat(o), v);
                    vmaxb.putFloat(o, v);
                }
                float denom = (float) Math.sqrt(v) / bc2Sqrt + eps;
                p = p + m / denom * negStep;
                if (hasProx) p = soft(p, thr);
                pb.putFloat(o, p);
            }
        });
    }

    /** Σ g², accumulated in float lanes per chunk (as PyTorch's float32 norm), chunks summed in double. */
    static double sumSquares(ByteBuffer gb, int n) {
        return Parallel.sum(n, 64, (from, to) -> {
            FloatVector acc = FloatVector.zero(S);
            int i = from;
            for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
                FloatVector g = FloatVector.fromByteBuffer(S, gb, i * B, NO);
                acc = g.fma(g, acc);
            }
            double sum = acc.reduceLanes(VectorOperators.ADD);
            for (; i < to; i++) {
                float g = gb.getFloat(i * B);
                sum += g * g;
            }
            return sum;
        });
    }

    /** Soft threshold as the three-branch rule: p − t where p > t, p + t where p < −t, else 0. */
    private static FloatVector soft(FloatVector p, float t) {
        VectorMask<Float> above = p.compare(VectorOperators.GT, t);
        VectorMask<Float> below = p.compare(VectorOperators.LT, -t);
        return FloatVector.zero(S).blend(p.sub(t), above).blend(p.add(t), below);
    }

    private static float soft(float p, float t) {
        return p > t ? p - t : (p < -t ? p + t : 0f);
    }
}
