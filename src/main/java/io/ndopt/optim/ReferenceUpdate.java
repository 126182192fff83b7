package io.ndopt.optim;

import io.ndopt.regularize.Prox;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The readable reference implementation of every update rule, written with ordinary ND4J ops on
 * one tensor at a time (it allocates temporaries). Every fast path is tested to equal it. It also
 * serves any array the fused kernels cannot take (CUDA, non-contiguous views).
 *
 * <p>One step, element-wise, with {@code s} the {@link StepScalars}:
 * <pre>
 * d = s.gradScale·g + s.l2·w          (clipping and maximize's sign; coupled L2 sees w before decay)
 * w = s.decayFactor·w                 (decoupled decay, before the rule)
 * w = rule(w, d, state)               (SGD or Adam, below; the other rules in ReferenceRules)
 * w = sign(w)·max(|w| − s.threshold, 0)   (proximal L1)
 * </pre>
 */
public final class ReferenceUpdate {
    private ReferenceUpdate() {}

    public static void apply(Rule rule, StepScalars s, INDArray w, INDArray g, INDArray[] state) {
        // clipping, and −1 when maximizing; the scalar goes in as an array: ND4J's scalar ops read a NaN scalar as
        // 1e-5 (mul) or 0 (add), and clipping by a NaN norm (NonFinitePolicy.PROPAGATE) must give NaN, as in PyTorch
        INDArray d = g.mul(Nd4j.scalar(g.dataType(), s.gradScale()));
        if (s.l2() != 0) d.addi(w.mul(s.l2()));              // ∇ (l2/2)||w||² = l2·w
        if (s.decayFactor() != 1) w.muli(s.decayFactor());    // w ← w(1 − lr·wd)
        if (rule instanceof Rule.Sgd sgd) {
            sgd(sgd, s, w, d, sgd.state(state));
        } else if (rule instanceof Rule.Adam adam) {
            adam(adam, s, w, d, adam.state(state));
        } else if (rule instanceof Rule.ScheduleFreeAdamW) {
            throw new IllegalArgumentException(rule + " needs its step's averaging weight: use scheduleFree(...)");
        } else {
            ReferenceRules.apply(rule, s, w, d, state);          // RMSprop, Adagrad, ..., Lion
        }
        if (s.threshold() > 0) Prox.softThresholdi(w, s.threshold());
    }

    private static void sgd(Rule.Sgd r, StepScalars s, INDArray w, INDArray d, Rule.Sgd.State state) {
        if (r.momentum() != 0) {
            INDArray buf = state.buf();
            if (s.t() == 1) {
                buf.assign(d);                                            // first step: buf = d, no dampening
            } else {
                buf.muli(r.momentum()).addi(d.mul(1 - r.dampening()));   // buf = μ·buf + (1 − τ)·d
            }
            d = r.nesterov() ? d.addi(buf.mul(r.momentum())) : buf.dup();
        }
        w.addi(d.muli(-s.lr()));
    }

    private static void adam(Rule.Adam r, StepScalars s, INDArray w, INDArray d, Rule.Adam.State state) {
        double b1 = r.beta1(), b2 = r.beta2();
        INDArray m = state.m(), v = state.v();
        m.muli(b1).addi(d.mul(1 - b1));                     // m = b1·m + (1 − b1)·d
        v.muli(b2).addi(d.mul(d).muli(1 - b2));             // v = b2·v + (1 − b2)·d²
        double bc1 = 1 - Math.pow(b1, s.t());
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, s.t()));
        INDArray vv = v;
        if (r.amsgrad()) {
            INDArray vmax = state.vmax();
            vmax.assign(Transforms.max(vmax, v, true));     // vmax = max(vmax, v), over the raw v
            vv = vmax;
        }
        INDArray denom = Transforms.sqrt(vv, true).divi(bc2Sqrt).addi(r.eps());
        w.addi(m.div(denom).muli(-(s.lr() / bc1)));
    }

    /**
     * One schedule-free AdamW step on the train point {@code y} ({@link Rule.ScheduleFreeAdamW}): {@code s.lr()} is
     * the warmed-up {@code lr_k}, {@code s.gradScale()} and {@code s.l2()} as for every rule, {@code c} the step's
     * averaging weight and {@code wd} the decoupled weight decay (applied at {@code y}, inside the update).
     */
    public static void scheduleFree(Rule.ScheduleFreeAdamW r, StepScalars s, double c, double wd, INDArray y,
                                    INDArray g, INDArray[] state) {
        INDArray d = g.mul(Nd4j.scalar(g.dataType(), s.gradScale()));
        if (s.l2() != 0) d.addi(y.mul(s.l2()));
        Rule.ScheduleFreeAdamW.State st = r.state(state);
        INDArray z = st.z(), v = st.v();
        if (s.t() == 1) z.assign(y);                                      // z starts at y0
        v.muli(r.beta2()).addi(d.mul(d).muli(1 - r.beta2()));            // v = b2·v + (1 − b2)·d²
        double bc2 = 1 - Math.pow(r.beta2(), s.t());
        INDArray u = d.divi(Transforms.sqrt(v.div(bc2), false).addi(r.eps()));   // d / (sqrt(v/bc2) + eps)
        if (wd != 0) u.addi(y.mul(wd));                                    // decay at y, before the lerp
        lerpi(y, z, c);                                                    // y = lerp(y, z, c)
        y.addi(u.mul(s.lr() * (r.beta1() * (1 - c) - 1)));
        z.subi(u.muli(s.lr()));
    }

    /** The eval point {@code x = lerp(y, z, 1 − 1/b1)} written into {@code w} (which holds y). */
    public static void scheduleFreeEvalPoint(Rule.ScheduleFreeAdamW r, INDArray w, INDArray z) {
        lerpi(w, z, 1 - 1 / r.beta1());
    }

    /**
     * {@code a ← lerp(a, b, weight)} as {@code torch.lerp} computes it: {@code a + weight·(b − a)} for
     * {@code |weight| < 0.5}, else {@code b − (b − a)·(1 − weight)} (exact at weight 1).
     */
    static void lerpi(INDArray a, INDArray b, double weight) {
        INDArray diff = b.sub(a);
        if (Math.abs(weight) < 0.5) a.addi(diff.muli(weight));
        else a.assign(b.sub(diff.muli(1 - weight)));
    }

    /**
     * One Adafactor step of one parameter ({@link Rule.Adafactor}), around it the same terms as {@link #apply}:
     * {@code d = s.gradScale·g + s.l2·w}, α from w before the decay, {@code w = s.decayFactor·w}, the rule, then the
     * soft threshold. Factored, {@code w} and {@code g} are N×A×B (N matrices; the RMS of w and of U are over all of
     * them) with {@code state.row()} N×A×1 and {@code state.col()} N×1×B; else any shape with {@code state.v()}.
     */
    public static void adafactor(Rule.Adafactor r, StepScalars s, INDArray w, INDArray g, Rule.Adafactor.State state) {
        INDArray d = g.mul(Nd4j.scalar(g.dataType(), s.gradScale()));
        if (s.l2() != 0) d.addi(w.mul(s.l2()));
        double t = s.t(), eps1 = r.eps1(w.dataType());
        double omega = Math.pow(t, r.beta2Decay());                        // ω = t^beta2_decay
        double rho = Math.min(s.lr(), 1 / Math.sqrt(t));
        double alpha = Math.max(r.eps2(), rms(w)) * rho;                    // RMS of w before the decay
        if (s.decayFactor() != 1) w.muli(s.decayFactor());
        INDArray v;
        if (state.v() == null) {                                            // factored: w is N×A×B (N matrices)
            long n = w.size(0), a = w.size(1), b = w.size(2);
            INDArray rowMean = d.norm2(2).reshape(n, a, 1);                 // ‖d_i·‖² / B, as torch.norm(…)²/n
            INDArray colMean = d.norm2(1).reshape(n, 1, b);
            lerpi(state.row(), rowMean.muli(rowMean).divi(b), omega);
            lerpi(state.col(), colMean.muli(colMean).divi(a), omega);
            v = Nd4j.create(w.dataType(), n, a, b);
            for (long k = 0; k < n; k++) {                                  // V = R·C / max(mean(R), eps1)
                INDArray row = state.row().slice(k), col = state.col().slice(k);
                v.slice(k).assign(row.mmul(col).divi(Math.max(row.meanNumber().doubleValue(), eps1)));
            }
        } else {
            lerpi(state.v(), d.mul(d), omega);                              // V = lerp(V, d², ω)
            v = state.v().dup();
        }
        INDArray u = d.divi(Transforms.sqrt(Transforms.max(v, eps1 * eps1, false), false));   // U = d / sqrt(max(V, eps1²))
        double denom = Math.max(1, rms(u) / r.clip());
        w.subi(u.muli(alpha / denom));
        if (s.threshold() > 0) Prox.softThresholdi(w, s.threshold());
    }

    /** {@code ‖a‖₂ / sqrt(n)}. */
    private static double rms(INDArray a) { return a.norm2Number().doubleValue() / Math.sqrt(a.length()); }

    /**
     * One Muon step of one matrix parameter ({@link Rule.Muon}), with the terms of {@link #apply} around it:
     * {@code d = s.gradScale·g + s.l2·w}, momentum, Newton–Schulz (matrix products by ND4J's BLAS gemm, in the
     * parameter's dtype), {@code w = s.decayFactor·w}, {@code w −= lr'·O}, then the soft threshold.
     */
    public static void muon(Rule.Muon r, StepScalars s, INDArray w, INDArray g, INDArray buf) {
        muon(r, s, w, g, buf, u -> newtonSchulz(r, u));
    }

    /** {@link #muon} with the orthogonalization {@code ns} (the in-place {@link NewtonSchulz} on the fast path). */
    static void muon(Rule.Muon r, StepScalars s, INDArray w, INDArray g, INDArray buf, UnaryOperator<INDArray> ns) {
        INDArray d = g.mul(Nd4j.scalar(g.dataType(), s.gradScale()));
        if (s.l2() != 0) d.addi(w.mul(s.l2()));
        lerpi(buf, d, 1 - r.momentum());                                  // B = lerp(B, d, 1 − μ)
        INDArray u;
        if (r.nesterov()) {
            u = d;
            lerpi(u, buf, r.momentum());                                  // U = lerp(d, B, μ)
        } else {
            u = buf.dup();
        }
        INDArray o = ns.apply(u);
        if (s.decayFactor() != 1) w.muli(s.decayFactor());
        w.subi(o.muli(r.adjustedLr(s.lr(), w.size(0), w.size(1))));
        if (s.threshold() > 0) Prox.softThresholdi(w, s.threshold());
    }

    /** The orthogonalization of {@code u} (A×B) by {@code ns_steps} Newton–Schulz iterations; a new array. */
    static INDArray newtonSchulz(Rule.Muon r, INDArray u) {
        boolean tall = u.size(0) > u.size(1);
        INDArray x = (tall ? u.transpose() : u).dup('c');
        x.divi(Math.max(x.norm2Number().doubleValue(), r.eps()));        // X / max(‖X‖_F, eps)
        for (int k = 0; k < r.nsSteps(); k++) {
            INDArray gram = x.mmul(x.transpose());                         // S = X·Xᵀ
            INDArray update = gram.mmul(gram).muli(r.c()).addi(gram.muli(r.b()));   // b·S + c·S·S
            x = update.mmul(x).addi(x.mul(r.a()));                         // a·X + (b·S + c·S·S)·X
        }
        return tall ? x.transpose().dup('c') : x;
    }
}
