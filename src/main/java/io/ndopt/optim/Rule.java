package io.ndopt.optim;

import io.ndopt.internal.validate.Require;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient-based part of an optimizer: how a (regularized) gradient {@code d} becomes a parameter
 * step, and the per-element state that takes. The rest of a step belongs to the parameter group
 * ({@link GroupOptions}) and is reduced to numbers before the rule runs ({@link StepScalars}): the
 * gradient's sign ({@code maximize}) and clipping, coupled L2, decoupled decay and the L1 prox, which
 * {@link ReferenceUpdate} places around the rule. "Adam + L2" and "AdamW" are therefore one rule with
 * {@link DecayMode#COUPLED} or {@link DecayMode#DECOUPLED}.
 */
public sealed interface Rule permits Rule.Sgd, Rule.Adam {

    /** Names of the per-element state tensors this rule keeps, in kernel order (the order of the slots). */
    List<String> stateNames();

    /** Checks that {@code slots} holds one tensor per {@link #stateNames()} entry. */
    private static void check(Rule r, INDArray[] slots) {
        if (slots.length != r.stateNames().size()) {
            throw new IllegalArgumentException(r + " keeps " + r.stateNames() + ", got " + slots.length + " tensors");
        }
    }

    /**
     * PyTorch {@code SGD}. With {@code d} the (regularized) gradient and {@code t} the step:
     * <pre>
     * if momentum != 0:
     *     buf = d                                   if t == 1   (no dampening on the first step)
     *     buf = momentum·buf + (1 − dampening)·d    otherwise
     *     d   = d + momentum·buf   if nesterov   else buf
     * w = w − lr·d
     * </pre>
     */
    record Sgd(double momentum, double dampening, boolean nesterov) implements Rule {
        public Sgd {
            Require.finiteNonNegative("momentum", momentum);
            if (!(dampening >= 0 && dampening <= 1)) {
                throw new IllegalArgumentException("dampening must be in [0, 1], got " + dampening);
            }
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("nesterov requires momentum > 0 and dampening = 0 (got momentum="
                        + momentum + ", dampening=" + dampening + ")");
            }
        }
        public static Sgd plain() { return new Sgd(0, 0, false); }
        public Sgd withMomentum(double m) { return new Sgd(m, dampening, nesterov); }
        public Sgd withDampening(double d) { return new Sgd(momentum, d, nesterov); }
        public Sgd withNesterov(boolean n) { return new Sgd(momentum, dampening, n); }
        @Override public List<String> stateNames() { return momentum != 0 ? List.of("momentum_buffer") : List.of(); }

        /** @param buf the momentum buffer ({@code momentum_buffer}); null without momentum */
        public record State(INDArray buf) {}

        /** The state slots by name: a view over the same arrays, nothing copied. */
        public State state(INDArray[] slots) {
            check(this, slots);
            return new State(momentum != 0 ? slots[0] : null);
        }
    }

    /**
     * PyTorch {@code Adam} (the gradient part; AdamW is this rule with {@link DecayMode#DECOUPLED}):
     * <pre>
     * m = b1·m + (1 − b1)·d ;  v = b2·v + (1 − b2)·d²          (m, v start at 0)
     * vv = vmax = max(vmax, v) if amsgrad else v               (max over the raw v)
     * w = w − (lr / (1 − b1^t)) · m / (sqrt(vv) / sqrt(1 − b2^t) + eps)
     * </pre>
     * ε is added after dividing by {@code sqrt(1 − b2^t)}, as PyTorch does (DL4J adds it to the raw
     * {@code sqrt(v)}, which differs on early steps).
     */
    record Adam(double beta1, double beta2, double eps, boolean amsgrad) implements Rule {
        public Adam {
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
            Require.finiteNonNegative("eps", eps);
        }
        public static Adam defaults() { return new Adam(0.9, 0.999, 1e-8, false); }
        public Adam withBetas(double b1, double b2) { return new Adam(b1, b2, eps, amsgrad); }
        public Adam withEps(double e) { return new Adam(beta1, beta2, e, amsgrad); }
        public Adam withAmsgrad(boolean a) { return new Adam(beta1, beta2, eps, a); }
        @Override public List<String> stateNames() {
            return amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq");
        }

        /**
         * Adam's state by the rule's symbols (optax's {@code ScaleByAdamState(count, mu, nu)}; the count is
         * {@link StepScalars#t}).
         *
         * @param m    first moment ({@code exp_avg})
         * @param v    second moment ({@code exp_avg_sq})
         * @param vmax running max of {@code v} ({@code max_exp_avg_sq}); null without AMSGrad
         */
        public record State(INDArray m, INDArray v, INDArray vmax) {}

        /** The state slots by name: a view over the same arrays, nothing copied. */
        public State state(INDArray[] slots) {
            check(this, slots);
            return new State(slots[0], slots[1], amsgrad ? slots[2] : null);
        }
    }
}
