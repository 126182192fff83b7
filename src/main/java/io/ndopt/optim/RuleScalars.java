package io.ndopt.optim;

import io.ndopt.internal.kernel.KernelScalars;
import io.ndopt.internal.kernel.KernelScalars.Family;

/**
 * The per-step scalars of the element-wise rules beyond SGD and Adam, worked out once on the host in double, as
 * PyTorch does in Python floats: for the reference ({@link ReferenceRules}) and as the fused kernels' launch
 * scalars ({@link KernelScalars}), so both paths start every step from the same numbers.
 */
final class RuleScalars {
    private RuleScalars() {}

    /** Adagrad's decayed rate {@code clr = lr/(1 + (t − 1)·lr_decay)}. */
    static double adagradRate(Rule.Adagrad r, StepScalars s) { return s.lr() / (1 + (s.t() - 1) * r.lrDecay()); }

    /** Adamax's {@code −lr/(1 − β1ᵗ)}. */
    static double adamaxStep(Rule.Adamax r, StepScalars s) { return -s.lr() / (1 - Math.pow(r.beta1(), s.t())); }

    /**
     * NAdam's {@code {1 − β2ᵗ, −lr(1 − μ_t)/(1 − P), −lr·μ_{t+1}/(1 − P·μ_{t+1})}} with {@code P = μ_1⋯μ_t}
     * ({@link StepScalars#muProduct}), in torch's order of operations.
     */
    static double[] nadam(Rule.NAdam r, StepScalars s) {
        double mu = r.mu(s.t()), muNext = r.mu(s.t() + 1), p = s.muProduct();
        return new double[] {1 - Math.pow(r.beta2(), s.t()), -s.lr() * (1.0 - mu) / (1.0 - p),
            (-s.lr() * muNext) / (1.0 - p * muNext)};
    }

    /** NAdam's running product after step {@code t}: {@code P_t = P_{t−1}·μ_t} (torch: {@code mu_product *= mu}). */
    static double nextMuProduct(Rule rule, double previous, long t) {
        return rule instanceof Rule.NAdam n ? previous * n.mu(t) : previous;
    }

    /**
     * NAdam's product {@code μ_1⋯μ_k} computed from the start, in torch's order (for a parameter whose own step count
     * {@code k} differs from the optimizer's, which keeps the running product of its own steps).
     */
    static double muProductAt(Rule rule, long k) {
        double p = 1;
        for (long i = 1; i <= k; i++) p = nextMuProduct(rule, p, i);
        return p;
    }

    /**
     * RAdam's {@code {1 − β1ᵗ, sqrt(1 − β2ᵗ), r_t}}, {@code r_t} NaN when {@code ρ_t ≤ 5} (the un-rectified step):
     * {@code ρ∞ = 2/(1 − β2) − 1, ρ_t = ρ∞ − 2tβ2ᵗ/(1 − β2ᵗ)}, {@code r_t = sqrt((ρ_t−4)(ρ_t−2)ρ∞/((ρ∞−4)(ρ∞−2)ρ_t))}.
     */
    static double[] radam(Rule.RAdam r, StepScalars s) {
        double b2t = Math.pow(r.beta2(), s.t()), bc2 = 1 - b2t;
        double rhoInf = 2 / (1 - r.beta2()) - 1;
        double rhoT = rhoInf - 2 * s.t() * b2t / bc2;
        double rect = rhoT > 5 ? Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT))
                : Double.NaN;
        return new double[] {1 - Math.pow(r.beta1(), s.t()), Math.sqrt(bc2), rect};
    }

    /** The launch scalars of an element-wise rule beyond SGD and Adam (the translation of {@link KernelArgs}). */
    static KernelScalars kernel(Rule rule, StepScalars s) {
        double gs = s.gradScale(), dec = s.decayFactor(), l2 = s.l2(), thr = s.threshold();
        int first = s.t() == 1 ? KernelScalars.FIRST : 0;
        if (rule instanceof Rule.RmsProp r) {
            int flags = (r.momentum() > 0 ? KernelScalars.MOMENTUM : 0) | (r.centered() ? KernelScalars.CENTERED : 0);
            return KernelScalars.rule(Family.RMSPROP, gs, dec, l2, thr, flags,
                    r.alpha(), 1 - r.alpha(), r.eps(), -s.lr(), r.momentum());
        }
        if (rule instanceof Rule.Adagrad r) {
            return KernelScalars.rule(Family.ADAGRAD, gs, dec, l2, thr, first,
                    r.initialAccumulatorValue(), r.eps(), -adagradRate(r, s));
        }
        if (rule instanceof Rule.Adadelta r) {
            return KernelScalars.rule(Family.ADADELTA, gs, dec, l2, thr, 0, r.rho(), 1 - r.rho(), r.eps(), -s.lr());
        }
        if (rule instanceof Rule.Adamax r) {
            return KernelScalars.rule(Family.ADAMAX, gs, dec, l2, thr, 0,
                    r.beta1(), 1 - r.beta1(), r.beta2(), r.eps(), adamaxStep(r, s));
        }
        if (rule instanceof Rule.NAdam r) {
            double[] c = nadam(r, s);
            return KernelScalars.rule(Family.NADAM, gs, dec, l2, thr, 0,
                    r.beta1(), 1 - r.beta1(), r.beta2(), 1 - r.beta2(), c[0], r.eps(), c[1], c[2]);
        }
        if (rule instanceof Rule.RAdam r) {
            double[] c = radam(r, s);
            boolean rectify = !Double.isNaN(c[2]);
            return KernelScalars.rule(Family.RADAM, gs, dec, l2, thr, rectify ? KernelScalars.RECTIFY : 0,
                    r.beta1(), 1 - r.beta1(), r.beta2(), 1 - r.beta2(), r.eps(), c[0], s.lr(), c[1], rectify ? c[2] : 0);
        }
        if (rule instanceof Rule.Rprop r) {
            return KernelScalars.rule(Family.RPROP, gs, dec, l2, thr, first,
                    r.etaMinus(), r.etaPlus(), r.stepMin(), r.stepMax(), s.lr());
        }
        if (rule instanceof Rule.Lion r) {
            return KernelScalars.rule(Family.LION, gs, dec, l2, thr, 0,
                    r.beta1(), 1 - r.beta1(), r.beta2(), 1 - r.beta2(), -s.lr());
        }
        throw new IllegalArgumentException("no kernel for " + rule);
    }
}
