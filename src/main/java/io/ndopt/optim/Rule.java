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
public sealed interface Rule permits Rule.Sgd, Rule.Adam,
        Rule.RmsProp, Rule.Adagrad, Rule.Adadelta, Rule.Adamax, Rule.NAdam, Rule.RAdam, Rule.Rprop, Rule.Lion,
        Rule.ScheduleFreeAdamW, Rule.Adafactor, Rule.Muon {

    /** Names of the per-element state tensors this rule keeps, in kernel order (the order of the slots). */
    List<String> stateNames();

    private static void beta(String name, double b) {
        if (!(b >= 0 && b < 1)) throw new IllegalArgumentException(name + " must be in [0, 1), got " + b);
    }
    /**
     * Whether the rule is element-wise, so that the fused kernels (CPU and GPU) run it; Adafactor and Muon need whole
     * matrices (their reference runs through ND4J's reductions and BLAS).
     */
    default boolean elementWise() { return true; }

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

    /**
     * PyTorch {@code RMSprop}: {@code sq = α·sq + (1−α)d²}; {@code avg = sqrt(sq − ga²) + eps} with
     * {@code ga = α·ga + (1−α)d} when centered, else {@code sqrt(sq) + eps}; with momentum
     * {@code buf = μ·buf + d/avg; w −= lr·buf}, else {@code w −= lr·d/avg}.
     */
    record RmsProp(double alpha, double eps, double momentum, boolean centered) implements Rule {
        public RmsProp {
            if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
            Require.finiteNonNegative("eps", eps);
            Require.finiteNonNegative("momentum", momentum);
        }
        public static RmsProp defaults() { return new RmsProp(0.99, 1e-8, 0, false); }
        public RmsProp withAlpha(double a) { return new RmsProp(a, eps, momentum, centered); }
        public RmsProp withEps(double e) { return new RmsProp(alpha, e, momentum, centered); }
        public RmsProp withMomentum(double m) { return new RmsProp(alpha, eps, m, centered); }
        public RmsProp withCentered(boolean c) { return new RmsProp(alpha, eps, momentum, c); }
        @Override public List<String> stateNames() {
            List<String> n = new java.util.ArrayList<>(List.of("square_avg"));
            if (momentum > 0) n.add("momentum_buffer");
            if (centered) n.add("grad_avg");
            return List.copyOf(n);
        }

        /** @param sq {@code square_avg}; buf {@code momentum_buffer} (null without momentum); ga {@code grad_avg} (null unless centered) */
        public record State(INDArray sq, INDArray buf, INDArray ga) {}

        public State state(INDArray[] slots) {
            check(this, slots);
            int i = 1;
            INDArray buf = momentum > 0 ? slots[i++] : null;
            return new State(slots[0], buf, centered ? slots[i] : null);
        }
    }

    /** PyTorch {@code Adagrad}: {@code clr = lr/(1 + (t − 1)·lr_decay); sum += d²; w −= clr·d/(sqrt(sum) + eps)}, {@code sum} starting at {@code initial_accumulator_value}. */
    record Adagrad(double lrDecay, double initialAccumulatorValue, double eps) implements Rule {
        public Adagrad {
            Require.finiteNonNegative("lr_decay", lrDecay);
            Require.finiteNonNegative("initial_accumulator_value", initialAccumulatorValue);
            Require.finiteNonNegative("eps", eps);
        }
        public static Adagrad defaults() { return new Adagrad(0, 0, 1e-10); }
        public Adagrad withLrDecay(double d) { return new Adagrad(d, initialAccumulatorValue, eps); }
        public Adagrad withInitialAccumulatorValue(double v) { return new Adagrad(lrDecay, v, eps); }
        public Adagrad withEps(double e) { return new Adagrad(lrDecay, initialAccumulatorValue, e); }
        @Override public List<String> stateNames() { return List.of("sum"); }
        /** @param sum the running sum of squared gradients ({@code sum}) */
        public record State(INDArray sum) {}
        public State state(INDArray[] slots) { check(this, slots); return new State(slots[0]); }
    }

    /** PyTorch {@code Adadelta}: {@code sq = ρ·sq + (1−ρ)d²; δ = sqrt(acc + eps)/sqrt(sq + eps)·d; acc = ρ·acc + (1−ρ)δ²; w −= lr·δ}. */
    record Adadelta(double rho, double eps) implements Rule {
        public Adadelta {
            if (!(rho >= 0 && rho <= 1)) throw new IllegalArgumentException("rho must be in [0, 1], got " + rho);
            Require.finiteNonNegative("eps", eps);
        }
        public static Adadelta defaults() { return new Adadelta(0.9, 1e-6); }
        public Adadelta withRho(double r) { return new Adadelta(r, eps); }
        public Adadelta withEps(double e) { return new Adadelta(rho, e); }
        @Override public List<String> stateNames() { return List.of("square_avg", "acc_delta"); }
        /** @param sq {@code square_avg}; acc {@code acc_delta} */
        public record State(INDArray sq, INDArray acc) {}
        public State state(INDArray[] slots) { check(this, slots); return new State(slots[0], slots[1]); }
    }

    /** PyTorch {@code Adamax}: {@code m = β1·m + (1−β1)d; u = max(β2·u, |d| + eps); w −= lr/(1 − β1ᵗ)·m/u}. */
    record Adamax(double beta1, double beta2, double eps) implements Rule {
        public Adamax {
            beta("beta1", beta1);
            beta("beta2", beta2);
            Require.finiteNonNegative("eps", eps);
        }
        public static Adamax defaults() { return new Adamax(0.9, 0.999, 1e-8); }
        public Adamax withBetas(double b1, double b2) { return new Adamax(b1, b2, eps); }
        public Adamax withEps(double e) { return new Adamax(beta1, beta2, e); }
        @Override public List<String> stateNames() { return List.of("exp_avg", "exp_inf"); }
        /** @param m {@code exp_avg}; u the infinity norm {@code exp_inf} */
        public record State(INDArray m, INDArray u) {}
        public State state(INDArray[] slots) { check(this, slots); return new State(slots[0], slots[1]); }
    }

    /**
     * PyTorch ≥ 2.0 {@code NAdam} (decoupled decay is {@link DecayMode#DECOUPLED}): with
     * {@code μ_t = β1(1 − ½·0.96^(t·ψ))} and {@code P = μ_1⋯μ_t} ({@code mu_product}, {@link StepScalars#muProduct}),
     * <pre>
     * m = β1·m + (1−β1)·d ;  v = β2·v + (1−β2)·d² ;  den = sqrt(v/(1 − β2ᵗ)) + eps
     * w = w − lr(1 − μ_t)/(1 − P)·d/den ;  w = w − lr·μ_{t+1}/(1 − P·μ_{t+1})·m/den
     * </pre>
     */
    record NAdam(double beta1, double beta2, double eps, double momentumDecay) implements Rule {
        public NAdam {
            beta("beta1", beta1);
            beta("beta2", beta2);
            Require.finiteNonNegative("eps", eps);
            Require.finiteNonNegative("momentum_decay", momentumDecay);
        }
        public static NAdam defaults() { return new NAdam(0.9, 0.999, 1e-8, 4e-3); }
        public NAdam withBetas(double b1, double b2) { return new NAdam(b1, b2, eps, momentumDecay); }
        public NAdam withEps(double e) { return new NAdam(beta1, beta2, e, momentumDecay); }
        public NAdam withMomentumDecay(double psi) { return new NAdam(beta1, beta2, eps, psi); }
        /** The momentum cache {@code μ_t = β1(1 − ½·0.96^(t·ψ))}, as torch computes it. */
        public double mu(long t) { return beta1 * (1.0 - 0.5 * Math.pow(0.96, t * momentumDecay)); }
        @Override public List<String> stateNames() { return List.of("exp_avg", "exp_avg_sq"); }
        /** @param m {@code exp_avg}; v {@code exp_avg_sq} (the scalar {@code mu_product} is the optimizer's) */
        public record State(INDArray m, INDArray v) {}
        public State state(INDArray[] slots) { check(this, slots); return new State(slots[0], slots[1]); }
    }

    /**
     * PyTorch {@code RAdam} (decoupled decay is {@link DecayMode#DECOUPLED}): {@code m, v} as Adam;
     * {@code ρ∞ = 2/(1−β2) − 1, ρ_t = ρ∞ − 2tβ2ᵗ/(1−β2ᵗ)}; if {@code ρ_t > 5}:
     * {@code w −= (m/(1−β1ᵗ))·lr·(sqrt(1−β2ᵗ)/(sqrt(v) + eps))·r_t} with the rectification
     * {@code r_t = sqrt((ρ_t−4)(ρ_t−2)ρ∞/((ρ∞−4)(ρ∞−2)ρ_t))}, else {@code w −= (m/(1−β1ᵗ))·lr}.
     */
    record RAdam(double beta1, double beta2, double eps) implements Rule {
        public RAdam {
            beta("beta1", beta1);
            beta("beta2", beta2);
            Require.finiteNonNegative("eps", eps);
        }
        public static RAdam defaults() { return new RAdam(0.9, 0.999, 1e-8); }
        public RAdam withBetas(double b1, double b2) { return new RAdam(b1, b2, eps); }
        public RAdam withEps(double e) { return new RAdam(beta1, beta2, e); }
        @Override public List<String> stateNames() { return List.of("exp_avg", "exp_avg_sq"); }
        /** @param m {@code exp_avg}; v {@code exp_avg_sq} */
        public record State(INDArray m, INDArray v) {}
        public State state(INDArray[] slots) { check(this, slots); return new State(slots[0], slots[1]); }
    }

    /**
     * PyTorch {@code Rprop}: {@code s = sign(d·prev)}; {@code step} (starts at lr) {@code ·η+} where s &gt; 0,
     * {@code ·η−} where s &lt; 0, clamped to {@code [stepMin, stepMax]}; {@code d = 0} where s &lt; 0;
     * {@code w −= sign(d)·step; prev = d}. The learning rate only sets the first step size.
     */
    record Rprop(double etaMinus, double etaPlus, double stepMin, double stepMax) implements Rule {
        public Rprop {
            if (!(0 < etaMinus && etaMinus < 1 && 1 < etaPlus && etaPlus < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("etas must satisfy 0 < eta_minus < 1 < eta_plus, got ("
                        + etaMinus + ", " + etaPlus + ")");
            }
            Require.finiteNonNegative("step_size_min", stepMin);
            if (!(stepMax >= stepMin)) {
                throw new IllegalArgumentException("step_sizes must satisfy 0 <= min <= max, got (" + stepMin + ", "
                        + stepMax + ")");
            }
        }
        public static Rprop defaults() { return new Rprop(0.5, 1.2, 1e-6, 50); }
        public Rprop withEtas(double minus, double plus) { return new Rprop(minus, plus, stepMin, stepMax); }
        public Rprop withStepSizes(double min, double max) { return new Rprop(etaMinus, etaPlus, min, max); }
        @Override public List<String> stateNames() { return List.of("prev", "step_size"); }
        /** @param prev the previous (masked) gradient; step the per-element step sizes ({@code step_size}) */
        public record State(INDArray prev, INDArray step) {}
        public State state(INDArray[] slots) { check(this, slots); return new State(slots[0], slots[1]); }
    }

    /**
     * Lion (Chen et al. 2023, google/automl {@code lion_pytorch.py}; its weight decay is {@link DecayMode#DECOUPLED}):
     * {@code c = β1·m + (1−β1)·d; w = w − lr·sign(c); m = β2·m + (1−β2)·d}.
     */
    record Lion(double beta1, double beta2) implements Rule {
        public Lion {
            beta("beta1", beta1);
            beta("beta2", beta2);
        }
        public static Lion defaults() { return new Lion(0.9, 0.99); }
        public Lion withBetas(double b1, double b2) { return new Lion(b1, b2); }
        @Override public List<String> stateNames() { return List.of("exp_avg"); }
        /** @param m {@code exp_avg} */
        public record State(INDArray m) {}
        public State state(INDArray[] slots) { check(this, slots); return new State(slots[0]); }
    }

    /**
     * Schedule-free AdamW (Defazio et al. 2024, facebookresearch/schedule_free {@code AdamWScheduleFree}, train
     * mode). The parameters hold the train point {@code y}; {@code z} starts at {@code y0}. Step {@code k = t − 1}:
     * <pre>
     * lr_k = lr_t·min(1, (k + 1)/warmup_steps)        (lr_t the scheduled rate; 1 when warmup_steps = 0)
     * lr_max = max(lr_max, lr_k) ; ω = (k + 1)^r · lr_max^weight_lr_power ; Σω += ω ; c = ω/Σω  (0 if Σω = 0)
     * v = b2·v + (1 − b2)·d² ;  u = d / (sqrt(v/(1 − b2^t)) + eps) + wd·y      (wd·y at y before the lerp)
     * y = lerp(y, z, c) ;  y = y + lr_k·(b1·(1 − c) − 1)·u ;  z = z − lr_k·u
     * </pre>
     * The model is evaluated at {@code x = lerp(y, z, 1 − 1/b1)} ({@link Optimizer#evalMode()}). {@code lr_max} and
     * {@code Σω} are per parameter group; {@code wd} is the group's decoupled weight decay. Its state is
     * {@code z}, {@code exp_avg_sq} and {@code y}: the train point while the parameters hold the eval point, so
     * that {@link Optimizer#trainMode()} restores it bit for bit (unused in train mode).
     */
    record ScheduleFreeAdamW(double beta1, double beta2, double eps, long warmupSteps, double r, double weightLrPower)
            implements Rule {
        public ScheduleFreeAdamW {
            if (!(beta1 > 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in (0, 1), got " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
            Require.finiteNonNegative("eps", eps);
            if (warmupSteps < 0) throw new IllegalArgumentException("warmup_steps must be >= 0, got " + warmupSteps);
            Require.finiteNonNegative("r", r);
            Require.finiteNonNegative("weight_lr_power", weightLrPower);
        }
        /** The reference's defaults: betas (0.9, 0.999), eps 1e-8, no warmup, r = 0, weight_lr_power = 2. */
        public static ScheduleFreeAdamW defaults() { return new ScheduleFreeAdamW(0.9, 0.999, 1e-8, 0, 0, 2); }
        public ScheduleFreeAdamW withBetas(double b1, double b2) {
            return new ScheduleFreeAdamW(b1, b2, eps, warmupSteps, r, weightLrPower);
        }
        public ScheduleFreeAdamW withEps(double e) { return new ScheduleFreeAdamW(beta1, beta2, e, warmupSteps, r, weightLrPower); }
        public ScheduleFreeAdamW withWarmupSteps(long w) {
            return new ScheduleFreeAdamW(beta1, beta2, eps, w, r, weightLrPower);
        }
        public ScheduleFreeAdamW withR(double rr) { return new ScheduleFreeAdamW(beta1, beta2, eps, warmupSteps, rr, weightLrPower); }
        public ScheduleFreeAdamW withWeightLrPower(double p) {
            return new ScheduleFreeAdamW(beta1, beta2, eps, warmupSteps, r, p);
        }
        @Override public List<String> stateNames() { return List.of("z", "exp_avg_sq", "y"); }

        /** The warmup factor of step {@code k} (from 0): {@code min(1, (k + 1)/warmup_steps)}. */
        public double warmup(long k) { return k < warmupSteps ? (k + 1) / (double) warmupSteps : 1.0; }

        /**
         * @param z the averaging sequence {@code z}
         * @param v second moment ({@code exp_avg_sq})
         * @param y the train point, kept while the parameters hold the eval point
         */
        public record State(INDArray z, INDArray v, INDArray y) {}

        /** The state slots by name: a view over the same arrays, nothing copied. */
        public State state(INDArray[] slots) {
            check(this, slots);
            return new State(slots[0], slots[1], slots[2]);
        }
    }

    /**
     * PyTorch {@code Adafactor} (2.x; Shazeer &amp; Stern 2018): a factored second moment for parameters of two or more
     * dimensions (a row and a column statistic of the last two), a full one for the rest. At step {@code t}, with
     * {@code lr} the scheduled rate and {@code d} the (regularized) gradient:
     * <pre>
     * ω = t^beta2_decay ;  ρ = min(lr, 1/√t) ;  α = max(eps2, RMS(w))·ρ          (RMS of w before the decay)
     * matrix: R = lerp(R, mean over the last dim of d², ω) ; C = lerp(C, mean over the dim before it of d², ω)
     *         V = R·C / max(mean(R), eps1)
     * vector: V = lerp(V, d², ω)
     * U = d / sqrt(max(V, eps1²)) ;  w = w − α / max(1, RMS(U)/clip) · U
     * </pre>
     * {@code eps1} null means the machine epsilon of the parameter's dtype. The decoupled weight decay
     * {@code w·(1 − lr·wd)} sits between α and the update, as in PyTorch. Not element-wise: its state is kept per
     * parameter ({@code row_var} and {@code col_var}, or {@code variance}), not in the flat state buffers.
     *
     * @param beta2Decay {@code <= 0}: ω = t^beta2Decay
     * @param eps1       floor of the variance (squared) and of mean(R); null = the dtype's machine epsilon
     * @param eps2       floor of RMS(w) in the step size
     * @param clip       PyTorch's {@code d}: the update's RMS is clipped to it ({@code >= 1})
     */
    record Adafactor(double beta2Decay, Double eps1, double eps2, double clip) implements Rule {
        public Adafactor {
            if (!(beta2Decay <= 0)) throw new IllegalArgumentException("beta2_decay must be <= 0, got " + beta2Decay);
            if (eps1 != null) Require.finiteNonNegative("eps1", eps1);
            Require.finiteNonNegative("eps2", eps2);
            if (!(clip >= 1) || Double.isInfinite(clip)) {
                throw new IllegalArgumentException("d (the clipping threshold) must be >= 1, got " + clip);
            }
        }
        /** PyTorch's defaults: beta2_decay −0.8, eps (machine epsilon, 1e-3), d 1. */
        public static Adafactor defaults() { return new Adafactor(-0.8, null, 1e-3, 1.0); }
        public Adafactor withBeta2Decay(double b) { return new Adafactor(b, eps1, eps2, clip); }
        public Adafactor withEps(Double e1, double e2) { return new Adafactor(beta2Decay, e1, e2, clip); }
        public Adafactor withClip(double dd) { return new Adafactor(beta2Decay, eps1, eps2, dd); }
        /** eps1 for a dtype: the given value, or the dtype's machine epsilon. */
        public double eps1(org.nd4j.linalg.api.buffer.DataType dt) {
            return eps1 != null ? eps1 : dt == org.nd4j.linalg.api.buffer.DataType.FLOAT ? Math.ulp(1.0f) : Math.ulp(1.0);
        }
        /**
         * Nothing in the flat state buffers: the state is per parameter and shaped by it, {@code row_var} and
         * {@code col_var} for a matrix (leading dimensions of size 1 dropped: ND4J's {@code [1, n]} bias is a vector),
         * else {@code variance}.
         */
        @Override public List<String> stateNames() { return List.of(); }
        @Override public boolean elementWise() { return false; }

        /**
         * @param row {@code row_var}: the shape with its last dimension 1 (null for a vector)
         * @param col {@code col_var}: the shape with its second-to-last dimension 1 (null for a vector)
         * @param v   {@code variance}, the parameter's shape (null for a matrix)
         */
        public record State(INDArray row, INDArray col, INDArray v) {}
    }

    /**
     * PyTorch {@code Muon} (2.9+) with an auxiliary AdamW for every parameter it does not take, as
     * {@code MuonWithAuxAdam}. For a Muon matrix A×B (as stored), with {@code d} the (regularized) gradient:
     * <pre>
     * B = lerp(B, d, 1 − μ) ;  U = nesterov ? lerp(d, B, μ) : B
     * X = U (transposed if A &gt; B) ;  X = X / max(‖X‖_F, eps)
     * ns_steps × { S = X·Xᵀ ;  X = a·X + (b·S + c·S·S)·X }        (Newton–Schulz, in the parameter's dtype, by BLAS)
     * O = X (transposed back) ;  lr' = lr·sqrt(max(1, A/B))  (original)  or  lr·0.2·sqrt(max(A, B))  (match_rms_adamw)
     * w = w·(1 − lr·wd) ;  w = w − lr'·O
     * </pre>
     * Every other parameter (biases, vectors, and the matrices {@code params} leaves out: by default the first and the
     * last layer's weights) takes {@code aux}, an AdamW step at {@code auxLr} (following the same lr schedule shape)
     * with its own decoupled {@code auxWeightDecay} on regularized parameters.
     *
     * @param params which parameters Muon takes; the rest go to {@code aux}
     */
    record Muon(double momentum, boolean nesterov, double a, double b, double c, double eps, int nsSteps,
                AdjustLr adjustLr, MuonParams params, Adam aux, double auxLr, double auxWeightDecay) implements Rule {
        /** How the lr scales with the matrix shape A×B. */
        public enum AdjustLr { ORIGINAL, MATCH_RMS_ADAMW }

        /**
         * Which parameters Muon takes: {@code HIDDEN} the 2-D weights other than the first and the last 2-D weight in
         * parameter order (the input and output layers), {@code WEIGHTS} every 2-D weight; or a mask
         * ({@link #withParams(io.ndopt.regularize.ParamMask)}), whose parameters must all be matrices.
         */
        public record MuonParams(String kind, io.ndopt.regularize.ParamMask mask) {
            public static final MuonParams HIDDEN = new MuonParams("hidden", null);
            public static final MuonParams WEIGHTS = new MuonParams("weights", null);
            public static MuonParams of(io.ndopt.regularize.ParamMask m) {
                return new MuonParams("mask", java.util.Objects.requireNonNull(m, "mask"));
            }
            @Override public String toString() { return mask == null ? kind : mask.toString(); }
        }

        public Muon {
            if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            for (double x : new double[] {a, b, c}) {
                if (!Double.isFinite(x)) throw new IllegalArgumentException("ns_coefficients must be finite");
            }
            Require.finiteNonNegative("eps", eps);
            if (nsSteps < 0 || nsSteps > 100) throw new IllegalArgumentException("ns_steps must be in [0, 100], got " + nsSteps);
            java.util.Objects.requireNonNull(adjustLr, "adjust_lr_fn");
            java.util.Objects.requireNonNull(params, "muon params");
            java.util.Objects.requireNonNull(aux, "aux");
            Require.finiteNonNegative("aux_lr", auxLr);
            Require.finiteNonNegative("aux_weight_decay", auxWeightDecay);
        }
        /**
         * torch.optim.Muon's defaults (momentum 0.95, Nesterov, coefficients (3.4445, −4.775, 2.0315), eps 1e-7, 5
         * steps, original lr adjustment); hidden weights to Muon; the aux AdamW at lr 3e-4, weight decay 0.
         */
        public static Muon defaults() {
            return new Muon(0.95, true, 3.4445, -4.775, 2.0315, 1e-7, 5, AdjustLr.ORIGINAL, MuonParams.HIDDEN,
                    Adam.defaults(), 3e-4, 0);
        }
        public Muon withMomentum(double m, boolean n) {
            return new Muon(m, n, a, b, c, eps, nsSteps, adjustLr, params, aux, auxLr, auxWeightDecay);
        }
        public Muon withNewtonSchulz(double na, double nb, double nc, double e, int steps) {
            return new Muon(momentum, nesterov, na, nb, nc, e, steps, adjustLr, params, aux, auxLr, auxWeightDecay);
        }
        public Muon withAdjustLr(AdjustLr f) {
            return new Muon(momentum, nesterov, a, b, c, eps, nsSteps, f, params, aux, auxLr, auxWeightDecay);
        }
        public Muon withParams(MuonParams p) {
            return new Muon(momentum, nesterov, a, b, c, eps, nsSteps, adjustLr, p, aux, auxLr, auxWeightDecay);
        }
        public Muon withParams(io.ndopt.regularize.ParamMask m) { return withParams(MuonParams.of(m)); }
        public Muon withAux(Adam r, double lr, double wd) {
            return new Muon(momentum, nesterov, a, b, c, eps, nsSteps, adjustLr, params, r, lr, wd);
        }
        /** The state lives per parameter (a momentum buffer, or the aux rule's moments), not in the flat buffers. */
        @Override public List<String> stateNames() { return List.of(); }
        @Override public boolean elementWise() { return false; }

        /** The lr of an A×B matrix: {@code lr·sqrt(max(1, A/B))} or {@code lr·0.2·sqrt(max(A, B))}. */
        public double adjustedLr(double lr, long rows, long cols) {
            return adjustLr == AdjustLr.ORIGINAL ? lr * Math.sqrt(Math.max(1, (double) rows / cols))
                    : lr * 0.2 * Math.sqrt(Math.max(rows, cols));
        }
    }
}
