package io.ndopt.optim.kernel;

import io.ndopt.optim.Rule;
import io.ndopt.optim.StepScalars;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused single-pass float64 kernels over direct buffers with the JDK Vector API: read p, g and the
 * state once, write p and the state once. Same arithmetic, in the same order, as
 * {@link io.ndopt.optim.ReferenceUpdate}. Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorF64 {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int B = Double.BYTES;
    private static final ByteOrder NO = ByteOrder.nativeOrder();

    private VectorF64() {}

    static void sgd(Rule.Sgd r, StepScalars s, ByteBuffer pb, ByteBuffer gb, ByteBuffer bufb, int n) {
        final double gs = s.gradScale(), decay = s.decayFactor(), l2 = s.l2();
        final double lr = s.lr(), thr = s.threshold();
        final double mu = r.momentum(), omd = (1 - r.dampening());
        final boolean hasMomentum = r.momentum() != 0, first = s.t() == 1, nesterov = r.nesterov();
        final boolean hasDecay = s.decayFactor() != 1, hasL2 = s.l2() != 0, hasProx = s.threshold() > 0;
        Parallel.forRange(n, 64, (from, to) -> {
            int i = from;
            for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
                int o = i * B;
                DoubleVector p = DoubleVector.fromByteBuffer(S, pb, o, NO);
                DoubleVector d = DoubleVector.fromByteBuffer(S, gb, o, NO).mul(gs);
                if (hasL2) d = d.add(p.mul(l2));
                if (hasDecay) p = p.mul(decay);
                if (hasMomentum) {
                    DoubleVector buf = first ? d : DoubleVector.fromByteBuffer(S, bufb, o, NO).mul(mu).add(d.mul(omd));
                    buf.intoByteBuffer(bufb, o, NO);
                    d = nesterov ? d.add(buf.mul(mu)) : buf;
                }
                p = p.add(d.mul(-lr));
                if (hasProx) p = soft(p, thr);
                p.intoByteBuffer(pb, o, NO);
            }
            for (; i < to; i++) {
                int o = i * B;
                double p = pb.getDouble(o);
                double d = gb.getDouble(o) * gs;
                if (hasL2) d = d + p * l2;
                if (hasDecay) p = p * decay;
                if (hasMomentum) {
                    double buf = first ? d : bufb.getDouble(o) * mu + d * omd;
                    bufb.putDouble(o, buf);
                    d = nesterov ? d + buf * mu : buf;
                }
                p = p + d * -lr;
                if (hasProx) p = soft(p, thr);
                pb.putDouble(o, p);
            }
        });
    }

    static void adam(Rule.Adam r, StepScalars s, ByteBuffer pb, ByteBuffer gb, ByteBuffer mb, ByteBuffer vb,
                     ByteBuffer vmaxb, int n) {
        final double gs = s.gradScale(), decay = s.decayFactor(), l2 = s.l2();
        final double thr = s.threshold();
        final double b1 = r.beta1(), b2 = r.beta2();
        final double omb1 = (1 - r.beta1()), omb2 = (1 - r.beta2());
        final double eps = r.eps();
        final double bc2Sqrt = Math.sqrt(1 - Math.pow(r.beta2(), s.t()));
        final double negStep = -(s.lr() / (1 - Math.pow(r.beta1(), s.t())));
        final boolean hasDecay = s.decayFactor() != 1, hasL2 = s.l2() != 0, hasProx = s.threshold() > 0;
        final boolean ams = r.amsgrad();
        Parallel.forRange(n, 64, (from, to) -> {
            int i = from;
            for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
                int o = i * B;
                DoubleVector p = DoubleVector.fromByteBuffer(S, pb, o, NO);
                DoubleVector d = DoubleVector.fromByteBuffer(S, gb, o, NO).mul(gs);
                if (hasL2) d = d.add(p.mul(l2));
                if (hasDecay) p = p.mul(decay);
                DoubleVector m = DoubleVector.fromByteBuffer(S, mb, o, NO).mul(b1).add(d.mul(omb1));
                DoubleVector v = DoubleVector.fromByteBuffer(S, vb, o, NO).mul(b2).add(d.mul(d).mul(omb2));
                m.intoByteBuffer(mb, o, NO);
                v.intoByteBuffer(vb, o, NO);
                if (ams) {
                    v = DoubleVector.fromByteBuffer(S, vmaxb, o, NO).max(v);
                    v.intoByteBuffer(vmaxb, o, NO);
                }
                DoubleVector denom = v.sqrt().div(bc2Sqrt).add(eps);
                p = p.add(m.div(denom).mul(negStep));
                if (hasProx) p = soft(p, thr);
                p.intoByteBuffer(pb, o, NO);
            }
            for (; i < to; i++) {
                int o = i * B;
                double p = pb.getDouble(o);
                double d = gb.getDouble(o) * gs;
                if (hasL2) d = d + p * l2;
                if (hasDecay) p = p * decay;
                double m = mb.getDouble(o) * b1 + d * omb1;
                double v = vb.getDouble(o) * b2 + d * d * omb2;
                mb.putDouble(o, m);
                vb.putDouble(o, v);
                if (ams) {
                    v = Math.max(vmaxb.getDouble(o), v);
                    vmaxb.putDouble(o, v);
                }
                double denom = Math.sqrt(v) / bc2Sqrt + eps;
                p = p + m / denom * negStep;
                if (hasProx) p = soft(p, thr);
                pb.putDouble(o, p);
            }
        });
    }

    /** Σ g², accumulated in double lanes per chunk (as PyTorch's float64 norm), chunks summed in double. */
    static double sumSquares(ByteBuffer gb, int n) {
        return Parallel.sum(n, 64, (from, to) -> {
            DoubleVector acc = DoubleVector.zero(S);
            int i = from;
            for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
                DoubleVector g = DoubleVector.fromByteBuffer(S, gb, i * B, NO);
                acc = g.fma(g, acc);
            }
            double sum = acc.reduceLanes(VectorOperators.ADD);
            for (; i < to; i++) {
                double g = gb.getDouble(i * B);
                sum += g * g;
            }
            return sum;
        });
    }

    /** Soft threshold as the three-branch rule: p − t where p > t, p + t where p < −t, else 0. */
    private static DoubleVector soft(DoubleVector p, double t) {
        VectorMask<Double> above = p.compare(VectorOperators.GT, t);
        VectorMask<Double> below = p.compare(VectorOperators.LT, -t);
        return DoubleVector.zero(S).blend(p.sub(t), above).blend(p.add(t), below);
    }

    private static double soft(double p, double t) {
        return p > t ? p - t : (p < -t ? p + t : 0f);
    }
}
