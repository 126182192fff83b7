package io.ndopt.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The readable reference of the element-wise rules beyond SGD and Adam (PyTorch 2.x {@code torch.optim}, single-tensor
 * path, and Lion as google/automl's {@code lion_pytorch.py}), one method each, in the order of operations of those
 * sources; {@code d} is the (regularized) gradient of {@link ReferenceUpdate}, {@code w} already decayed. The
 * scalars that depend on the step alone (bias corrections, NAdam's momentum cache, RAdam's rectification,
 * Adagrad's decayed rate) are worked out by {@link RuleScalars}, once, for this path and the fused kernels alike.
 * A NaN gradient propagates as in PyTorch: {@code sign(NaN) = NaN}, {@code max(x, NaN) = NaN}.
 */
final class ReferenceRules {
    private ReferenceRules() {}

    static void apply(Rule rule, StepScalars s, INDArray w, INDArray d, INDArray[] slots) {
        if (rule instanceof Rule.RmsProp r) rmsprop(r, s, w, d, r.state(slots));
        else if (rule instanceof Rule.Adagrad r) adagrad(r, s, w, d, r.state(slots));
        else if (rule instanceof Rule.Adadelta r) adadelta(r, s, w, d, r.state(slots));
        else if (rule instanceof Rule.Adamax r) adamax(r, s, w, d, r.state(slots));
        else if (rule instanceof Rule.NAdam r) nadam(r, s, w, d, r.state(slots));
        else if (rule instanceof Rule.RAdam r) radam(r, s, w, d, r.state(slots));
        else if (rule instanceof Rule.Rprop r) rprop(r, s, w, d, r.state(slots));
        else if (rule instanceof Rule.Lion r) lion(r, s, w, d, r.state(slots));
        else throw new IllegalArgumentException("no element-wise reference for " + rule);
    }

    private static void rmsprop(Rule.RmsProp r, StepScalars s, INDArray w, INDArray d, Rule.RmsProp.State st) {
        double a = r.alpha();
        st.sq().muli(a).addi(d.mul(d).muli(1 - a));                   // sq = α·sq + (1 − α)·d²
        INDArray avg;
        if (r.centered()) {
            st.ga().muli(a).addi(d.mul(1 - a));                        // ga = α·ga + (1 − α)·d
            avg = Transforms.sqrt(st.sq().sub(st.ga().mul(st.ga())), false).addi(r.eps());
        } else {
            avg = Transforms.sqrt(st.sq(), true).addi(r.eps());
        }
        if (r.momentum() > 0) {
            st.buf().muli(r.momentum()).addi(d.div(avg));               // buf = μ·buf + d/avg
            w.addi(st.buf().mul(-s.lr()));
        } else {
            w.addi(d.div(avg).muli(-s.lr()));
        }
    }

    private static void adagrad(Rule.Adagrad r, StepScalars s, INDArray w, INDArray d, Rule.Adagrad.State st) {
        if (s.t() == 1) st.sum().assign(r.initialAccumulatorValue());  // torch fills sum at the first step
        st.sum().addi(d.mul(d));                                        // sum += d²
        INDArray std = Transforms.sqrt(st.sum(), true).addi(r.eps());
        w.addi(d.div(std).muli(-RuleScalars.adagradRate(r, s)));        // w −= clr·d/(sqrt(sum) + eps)
    }

    private static void adadelta(Rule.Adadelta r, StepScalars s, INDArray w, INDArray d, Rule.Adadelta.State st) {
        double rho = r.rho();
        st.sq().muli(rho).addi(d.mul(d).muli(1 - rho));                // sq = ρ·sq + (1 − ρ)·d²
        INDArray std = Transforms.sqrt(st.sq().add(r.eps()), false);
        INDArray delta = Transforms.sqrt(st.acc().add(r.eps()), false).divi(std).muli(d);
        st.acc().muli(rho).addi(delta.mul(delta).muli(1 - rho));        // acc = ρ·acc + (1 − ρ)·δ²
        w.addi(delta.muli(-s.lr()));
    }

    private static void adamax(Rule.Adamax r, StepScalars s, INDArray w, INDArray d, Rule.Adamax.State st) {
        st.m().muli(r.beta1()).addi(d.mul(1 - r.beta1()));              // m = β1·m + (1 − β1)·d
        st.u().assign(max(st.u().mul(r.beta2()), Transforms.abs(d, true).addi(r.eps())));
        w.addi(st.m().div(st.u()).muli(RuleScalars.adamaxStep(r, s)));    // w −= lr/(1 − β1ᵗ)·m/u
    }

    private static void nadam(Rule.NAdam r, StepScalars s, INDArray w, INDArray d, Rule.NAdam.State st) {
        st.m().muli(r.beta1()).addi(d.mul(1 - r.beta1()));
        st.v().muli(r.beta2()).addi(d.mul(d).muli(1 - r.beta2()));
        double[] c = RuleScalars.nadam(r, s);                           // {bc2, coefficient of d, coefficient of m}
        INDArray den = Transforms.sqrt(st.v().div(c[0]), false).addi(r.eps());
        w.addi(d.div(den).muli(c[1]));
        w.addi(st.m().div(den).muli(c[2]));
    }

    private static void radam(Rule.RAdam r, StepScalars s, INDArray w, INDArray d, Rule.RAdam.State st) {
        st.m().muli(r.beta1()).addi(d.mul(1 - r.beta1()));
        st.v().muli(r.beta2()).addi(d.mul(d).muli(1 - r.beta2()));
        double[] c = RuleScalars.radam(r, s);                           // {bc1, sqrt(bc2), rect or NaN}
        INDArray step = st.m().div(c[0]).muli(s.lr());                  // m/(1 − β1ᵗ)·lr
        if (!Double.isNaN(c[2])) {
            step.muli(Transforms.sqrt(st.v(), true).addi(r.eps()).rdivi(c[1])).muli(c[2]);
        }
        w.subi(step);
    }

    private static void rprop(Rule.Rprop r, StepScalars s, INDArray w, INDArray d, Rule.Rprop.State st) {
        if (s.t() == 1) {                                               // torch's state at the first step
            st.step().assign(s.lr());
            st.prev().assign(0);
        }
        INDArray prod = d.mul(st.prev());
        INDArray factor = Nd4j.onesLike(d)                              // 1 where d·prev = 0, NaN where it is NaN
                .putWhereWithMask(prod.gt(0), r.etaPlus()).putWhereWithMask(prod.lt(0), r.etaMinus())
                .putWhereWithMask(prod.isNaN(), Double.NaN);
        INDArray step = st.step().mul(factor);                          // clamped to [min, max], NaN kept
        step = step.putWhereWithMask(step.lt(r.stepMin()), r.stepMin()).putWhereWithMask(step.gt(r.stepMax()), r.stepMax());
        st.step().assign(step);
        INDArray g = d.putWhereWithMask(prod.lt(0), 0.0);               // after a sign change: no step, prev = 0
        w.subi(sign(g).muli(step));
        st.prev().assign(g);
    }

    private static void lion(Rule.Lion r, StepScalars s, INDArray w, INDArray d, Rule.Lion.State st) {
        INDArray c = st.m().mul(r.beta1()).addi(d.mul(1 - r.beta1()));  // c = β1·m + (1 − β1)·d
        w.addi(sign(c).muli(-s.lr()));
        st.m().muli(r.beta2()).addi(d.mul(1 - r.beta2()));              // m = β2·m + (1 − β2)·d
    }

    /** {@code sign(x)}: −1, 0, 1, and NaN for NaN (as {@code torch.sign}; ND4J's sign gives 0 there). */
    static INDArray sign(INDArray x) {
        return Transforms.sign(x, true).putWhereWithMask(x.isNaN(), Double.NaN);
    }

    /** Element-wise {@code max(a, b)}, NaN where either is NaN (as {@code torch.maximum}). */
    private static INDArray max(INDArray a, INDArray b) {
        return Transforms.max(a, b, true).putWhereWithMask(a.isNaN(), Double.NaN).putWhereWithMask(b.isNaN(), Double.NaN);
    }
}
