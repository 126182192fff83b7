package io.ndopt.optim;

import io.ndopt.internal.device.DeviceParams;

import io.ndopt.device.Device;
import io.ndopt.internal.kernel.FusedKernels;
import io.ndopt.internal.kernel.KernelScalars;
import io.ndopt.param.FlatStore;
import io.ndopt.param.Param;
import io.ndopt.regularize.PenaltyFactors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optimizer over a fixed list of {@link Param}s: a {@link Rule} (SGD, Adam, RMSprop, ..., Lion) with weight decay,
 * L2 and proximal L1 placed around it, per-group options, a learning-rate schedule and global-norm
 * clipping. One {@link #step()}:
 * <ol>
 *   <li>checks the gradients for NaN/Inf ({@link NonFinitePolicy}) and computes their global L2 norm (under
 *       {@link NonFinitePolicy#PROPAGATE} without clipping: no check first, the norm is summed in the update's
 *       own pass);</li>
 *   <li>scales all gradients by {@code min(1, clipNorm / (norm + 1e-6))} (PyTorch {@code clip_grad_norm_});</li>
 *   <li>for each segment: {@code d = g + l2·w} (coupled), {@code w ← w·decayFactor} (decoupled),
 *       the rule, then {@code w ← softThreshold(w, lr_t·l1)} — see {@link ReferenceUpdate};</li>
 *   <li>then, where configured, the structured proxes of {@link StructuredProx}: L1 with per-weight
 *       penalty factors and the group-lasso prox {@code w_g ← max(0, 1 − lr_t·λ·c_g/‖w_g‖)·w_g}.</li>
 * </ol>
 * Penalty strengths may follow their own schedules ({@link io.ndopt.regularize.PenaltySchedule}).
 * Gradients are read, never modified. Build one with {@link #sgd}, {@link #adam}, {@link #adamw}, or one of
 * the other element-wise rules: {@link #rmsprop}, {@link #adagrad}, {@link #adadelta}, {@link #adamax}, {@link #nadam},
 * {@link #radam}, {@link #rprop}, {@link #lion}; or schedule-free AdamW ({@link #scheduleFreeAdamw}),
 * {@link #adafactor} or {@link #muon}.
 *
 * <p>A parameter without a gradient ({@link Param#hasGrad()} false: never set, or cleared with
 * {@link Param#clearGrad()}) is skipped, as PyTorch skips {@code grad is None}: no decay, no prox, no state
 * change. Each parameter counts its own steps, as PyTorch's per-parameter {@code state['step']}: Adam's bias
 * correction and SGD's first-step momentum use that count, the learning-rate schedule uses {@link #stepCount()}
 * (the steps taken, whatever each parameter did). In the flat layout a segment whose parameters disagree is
 * updated as runs of consecutive parameters that have a gradient and share a count. On a GPU every parameter
 * is updated each step (its gradients may be written on the device).
 *
 * <p>A parameter belongs to one optimizer until that one is {@linkplain #close() closed}; building a second over
 * it is refused. One thread steps at a time: a {@link #step()} while another thread's is running throws
 * {@link IllegalStateException} rather than losing an update; so does a step after {@link #close()}.
 */
public final class Optimizer implements AutoCloseable {
    static {
        DeviceParams.register(o -> ((Optimizer) o).deviceParams());
    }

    private static final Logger LOG = LoggerFactory.getLogger(Optimizer.class);

    private final Rule rule;
    private final List<ParamGroup> groups;
    private final List<Param> params;
    private final SegmentPlan plan;
    final ParamSteps paramSteps;
    private final double clipNorm;
    private final NonFinitePolicy nonFinite;
    private final boolean fused;
    private final Device device;
    private final DeviceStep onDevice;
    /** Schedule-free AdamW's per-group sums and train/eval mode; null for every other rule. */
    private final ScheduleFreeState scheduleFree;
    /** Adafactor's per-parameter state; null for every other rule. */
    private final AdafactorState adafactor;
    /** Muon's and its aux AdamW's per-parameter state; null for every other rule. */
    private final MuonState muon;
    private DeviceParams deviceParams;
    private volatile boolean closed;
    private final AtomicBoolean stepping = new AtomicBoolean();
    private final boolean fastProx;
    private long t;
    private long skipped;
    private long propagated;
    /** NAdam's {@code mu_product} {@code μ_1⋯μ_t} (torch keeps it per parameter; every parameter steps together here). */
    private double muProduct = 1;
    private double lastNorm = Double.NaN;
    private long lastFused;

    Optimizer(Rule rule, List<ParamGroup> groups, double clipNorm, NonFinitePolicy nonFinite, UpdatePath impl,
            Layout layout, Device device,
              Map<Param, PenaltyFactors> factors) {
        this.rule = rule;
        this.groups = List.copyOf(groups);
        List<Param> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.params()));
        this.params = Collections.unmodifiableList(all);
        this.paramSteps = new ParamSteps(params);
        claimAll();
        try {
            this.plan = new SegmentPlan(groups, rule, layout, factors);
            this.scheduleFree = rule instanceof Rule.ScheduleFreeAdamW sf ? new ScheduleFreeState(sf, groups) : null;
            this.adafactor = rule instanceof Rule.Adafactor af ? new AdafactorState(af, params) : null;
            this.muon = rule instanceof Rule.Muon mu ? new MuonState(mu, groups, params) : null;
            this.onDevice = init(impl, layout, device);
            attachFamily();
        } catch (RuntimeException | Error e) {
            params.forEach(p -> p.release(this));
            throw e;
        }
        this.clipNorm = clipNorm;
        this.nonFinite = nonFinite;
        this.fused = impl != UpdatePath.REFERENCE && FusedKernels.available();
        this.device = device;
        this.fastProx = impl != UpdatePath.REFERENCE;
        if (impl == UpdatePath.AUTO && !fused && onDevice == null && FusedKernels.firstNotice()) {
            LOG.warn("ndopt: fused update path unavailable ({}); using the reference path",
                    FusedKernels.unavailableReason());
        }
        LOG.info("ndopt: {}; {}", summary(), describeRegularization());
    }

    /** Adafactor's or Muon's per-parameter state mirrored on the device, when the step runs there. */
    private void attachFamily() {
        if (onDevice == null) return;
        try {
            if (adafactor != null) adafactor.attach(onDevice);
            if (muon != null) muon.attach(onDevice);
        } catch (RuntimeException e) {
            onDevice.close();
            throw e;
        }
    }

    /** Makes this optimizer every parameter's one owner, or owner of none if one belongs to another optimizer. */
    private void claimAll() {
        List<Param> claimed = new ArrayList<>();
        try {
            for (Param p : params) {
                p.claim(this);
                claimed.add(p);
            }
        } catch (IllegalArgumentException e) {
            claimed.forEach(p -> p.release(this));
            throw e;
        }
    }

    /** Checks the update path against the device and opens the device side, if any. */
    private DeviceStep init(UpdatePath impl, Layout layout, Device device) {
        if (impl == UpdatePath.FUSED && !FusedKernels.available()) {
            throw new IllegalStateException("UpdatePath.FUSED requested but unavailable: "
                    + FusedKernels.unavailableReason());
        }
        if (device.isCuda() && impl == UpdatePath.REFERENCE) {
            throw new IllegalArgumentException("UpdatePath.REFERENCE runs on the CPU, not on " + device);
        }
        return device.isCuda() ? DeviceStep.open(device, plan, layout) : null;
    }

    public static OptimizerBuilder sgd(double lr) {
        return new OptimizerBuilder(Rule.Sgd.plain(), lr, DecayMode.COUPLED, 0);
    }

    public static OptimizerBuilder adam(double lr) {
        return new OptimizerBuilder(Rule.Adam.defaults(), lr, DecayMode.COUPLED, 0);
    }

    /** AdamW's default weight decay, PyTorch's. */
    public static final double ADAMW_WEIGHT_DECAY = 0.01;

    /** Adam with decoupled decay; weight decay defaults to {@link #ADAMW_WEIGHT_DECAY} as in PyTorch. */
    public static OptimizerBuilder adamw(double lr) {
        return new OptimizerBuilder(Rule.Adam.defaults(), lr, DecayMode.DECOUPLED, ADAMW_WEIGHT_DECAY);
    }

    /** PyTorch {@code RMSprop} (lr 1e-2 there; alpha 0.99, eps 1e-8, no momentum, not centered); coupled weight decay. */
    public static OptimizerBuilder rmsprop(double lr) {
        return new OptimizerBuilder(Rule.RmsProp.defaults(), lr, DecayMode.COUPLED, 0);
    }

    /** PyTorch {@code Adagrad} (lr 1e-2 there; lr_decay 0, initial_accumulator_value 0, eps 1e-10); coupled weight decay. */
    public static OptimizerBuilder adagrad(double lr) {
        return new OptimizerBuilder(Rule.Adagrad.defaults(), lr, DecayMode.COUPLED, 0);
    }

    /** PyTorch {@code Adadelta} (lr 1.0 there; rho 0.9, eps 1e-6); coupled weight decay. */
    public static OptimizerBuilder adadelta(double lr) {
        return new OptimizerBuilder(Rule.Adadelta.defaults(), lr, DecayMode.COUPLED, 0);
    }

    /** PyTorch {@code Adamax} (lr 2e-3 there; betas 0.9, 0.999, eps 1e-8); coupled weight decay. */
    public static OptimizerBuilder adamax(double lr) {
        return new OptimizerBuilder(Rule.Adamax.defaults(), lr, DecayMode.COUPLED, 0);
    }

    /**
     * PyTorch ≥ 2.0 {@code NAdam} (lr 2e-3 there; betas 0.9, 0.999, eps 1e-8, momentum_decay 4e-3); coupled weight
     * decay unless {@link OptimizerBuilder#decoupledWeightDecay}.
     */
    public static OptimizerBuilder nadam(double lr) {
        return new OptimizerBuilder(Rule.NAdam.defaults(), lr, DecayMode.COUPLED, 0);
    }

    /** PyTorch {@code RAdam} (betas 0.9, 0.999, eps 1e-8); coupled weight decay unless {@link OptimizerBuilder#decoupledWeightDecay}. */
    public static OptimizerBuilder radam(double lr) {
        return new OptimizerBuilder(Rule.RAdam.defaults(), lr, DecayMode.COUPLED, 0);
    }

    /** PyTorch {@code Rprop} (lr 1e-2 there, the first step size; etas 0.5, 1.2; step sizes 1e-6, 50). */
    public static OptimizerBuilder rprop(double lr) {
        return new OptimizerBuilder(Rule.Rprop.defaults(), lr, DecayMode.COUPLED, 0);
    }

    /** Lion (google/automl; lr 1e-4 there, betas 0.9, 0.99); its weight decay is decoupled ({@code w·(1 − lr·wd)}), 0 by default. */
    public static OptimizerBuilder lion(double lr) {
        return new OptimizerBuilder(Rule.Lion.defaults(), lr, DecayMode.DECOUPLED, 0);
    }

    /**
     * Schedule-free AdamW ({@link Rule.ScheduleFreeAdamW}) with the reference's defaults (no weight decay, no
     * warmup). Train with the parameters at the train point; call {@link #evalMode()} before evaluating or saving
     * the model and {@link #trainMode()} before the next step, as the reference's {@code optimizer.eval()} and
     * {@code optimizer.train()}.
     */
    public static OptimizerBuilder scheduleFreeAdamw(double lr) {
        return new OptimizerBuilder(Rule.ScheduleFreeAdamW.defaults(), lr, DecayMode.DECOUPLED, 0);
    }

    /**
     * PyTorch's Adafactor ({@link Rule.Adafactor}) with its defaults (lr 1e-2 is PyTorch's; no weight decay). On a GPU
     * device its step and state live there (row and column statistics as device reductions).
     */
    public static OptimizerBuilder adafactor(double lr) {
        return new OptimizerBuilder(Rule.Adafactor.defaults(), lr, DecayMode.DECOUPLED, 0);
    }

    /** torch.optim.Muon's default weight decay. */
    public static final double MUON_WEIGHT_DECAY = 0.1;

    /**
     * Muon ({@link Rule.Muon}) for the hidden 2-D weights with an aux AdamW for the rest, torch.optim.Muon's defaults
     * (weight decay {@link #MUON_WEIGHT_DECAY}, decoupled). Newton–Schulz runs through BLAS gemm in place (CPU) or
     * cuBLAS (a GPU device, where the step and state live; the aux AdamW takes its fused kernel).
     */
    public static OptimizerBuilder muon(double lr) {
        return new OptimizerBuilder(Rule.Muon.defaults(), lr, DecayMode.DECOUPLED, MUON_WEIGHT_DECAY);
    }

    public static OptimizerBuilder builder(Rule rule, double lr) {
        return new OptimizerBuilder(rule, lr, DecayMode.COUPLED, 0);
    }

    /**
     * Takes one step from the parameters' current gradients. One thread at a time: an optimizer is not thread-safe,
     * and a {@code step()} that begins while another thread's is running is refused with an
     * {@link IllegalStateException} (nothing of either step is lost or mixed; serialize the calls).
     *
     * @return true if the step was taken, false if it was skipped for a non-finite gradient
     * @throws NonFiniteGradientException under {@link NonFinitePolicy#ERROR}
     */
    public boolean step() {
        if (closed) throw new IllegalStateException("step() on a closed optimizer");
        if (!stepping.compareAndSet(false, true)) {
            throw new IllegalStateException("step() called while another thread's step() is running: an optimizer"
                    + " steps from one thread at a time (serialize the calls)");
        }
        try {
            if (closed) throw new IllegalStateException("step() on a closed optimizer");
            return stepOnce();
        } finally {
            stepping.set(false);
        }
    }

    private boolean stepOnce() {
        if (scheduleFree != null && scheduleFree.evalMode()) {
            throw new IllegalStateException("schedule-free AdamW: step() with the parameters at the eval point; call "
                    + "trainMode() first");
        }
        // PROPAGATE without clipping needs no norm before the update: the update's own pass sums it
        boolean sumInPass = nonFinite == NonFinitePolicy.PROPAGATE && clipNorm <= 0 && onDevice == null;
        double clip = 1.0;
        if (!sumInPass) {
            double norm = onDevice != null ? Math.sqrt(onDevice.sumSquares()) : globalGradNorm();
            lastNorm = norm;
            if (!Double.isFinite(norm) && nonFinite != NonFinitePolicy.PROPAGATE) {
                String culprit = findNonFinite();
                if (nonFinite == NonFinitePolicy.ERROR) throw new NonFiniteGradientException(culprit, t + 1);
                skipped++;
                LOG.debug("ndopt: skipped step {}: non-finite gradient in '{}'", t + 1, culprit);
                return false;
            }
            if (clipNorm > 0) clip = clipFactor(clipNorm, norm);
            if (!Double.isFinite(norm)) notePropagated(t + 1);
        }
        t++;
        muProduct = RuleScalars.nextMuProduct(rule, muProduct, t);
        lastFused = 0;
        if (scheduleFree != null) scheduleFree.advance(groups, t);     // per group, once per optimizer step
        if (onDevice != null && scheduleFree != null) {
            long step = t;
            double c = clip;
            onDevice.apply(plan.segments, s -> scheduleFree.kernelScalars(s, step, c));
            paramSteps.advanceAll(t);
            for (Segment s : plan.segments) lastFused += s.length();
            return true;
        }
        if (onDevice != null && (adafactor != null || muon != null)) {     // every parameter at step t
            long step = t;
            onDevice.apply(plan.segments, t, clip, muProduct, fastProx, (i, update) -> {
                if (adafactor != null) adafactor.applyOnDevice(onDevice, i, plan.segments.get(i), update);
                else muon.applyOnDevice(onDevice, i, plan.segments.get(i), update, step);
            });
            paramSteps.advanceAll(t);
            for (Segment s : plan.segments) lastFused += s.length();
            return true;
        }
        if (onDevice != null) {
            onDevice.apply(rule, plan.segments, t, clip, muProduct, fastProx);
            paramSteps.advanceAll(t);
            for (Segment s : plan.segments) lastFused += s.length();
            return true;
        }
        double sumSq = hostSteps(clip, sumInPass);
        if (sumInPass) {
            lastNorm = Math.sqrt(sumSq);
            if (!Double.isFinite(lastNorm)) {
                lastNorm = globalGradNorm();      // finite values whose float sum overflowed read again, in double
                if (!Double.isFinite(lastNorm)) notePropagated(t);
            }
        }
        return true;
    }

    /**
     * Step {@code t} of every segment on the host, each parameter at its own step ({@link ParamSteps}); Σg² when
     * {@code sumInPass}, else 0.
     */
    private double hostSteps(double clip, boolean sumInPass) {
        double sumSq = 0;
        for (Segment seg : plan.segments) {
            long k = paramSteps.wholeStep(seg);
            if (k > 0) sumSq += update(seg, k, clip, sumInPass);
            else for (ParamSteps.Run run : paramSteps.runs(seg)) sumSq += update(run.segment(), run.step(), clip, sumInPass);
        }
        paramSteps.advance();
        return sumSq;
    }

    /** Updates one segment (or run of one) whose parameters take their step {@code k}; Σ g² when {@code sumInPass}. */
    private double update(Segment s, long k, double clip, boolean sumInPass) {
        if (scheduleFree != null) return scheduleFreeUpdate(s, k, clip, sumInPass);
        StepScalars resolved = StepScalars.resolve(s.options(), t, clip);
        StepScalars scalars = k == t ? resolved.withMuProduct(muProduct) : new StepScalars(k, resolved.lr(),
                resolved.gradScale(), resolved.decayFactor(), resolved.l2(), resolved.threshold(),
                RuleScalars.muProductAt(rule, k));
        StepScalars update = s.prox().kernelScalars(scalars);
        double sumSq = 0;
        if (adafactor != null || muon != null) {                  // per parameter, at its own step k
            if (sumInPass) sumSq = squaredNorm(s.grad());
            if (adafactor != null) adafactor.apply(s, update);
            else muon.apply(s, update, t, fastProx);       // fastProx: any path but REFERENCE
        } else if (fused && FusedKernels.supports(s.value(), s.grad(), s.state())) {
            if (sumInPass) sumSq = FusedKernels.applySummingSquares(KernelArgs.of(rule, update), s.value(), s.grad(), s.state());
            else FusedKernels.apply(KernelArgs.of(rule, update), s.value(), s.grad(), s.state());
            lastFused += s.length();
        } else {
            if (sumInPass) sumSq = squaredNorm(s.grad());
            ReferenceUpdate.apply(rule, update, s.value(), s.grad(), s.state());
        }
        if (s.prox().active()) s.prox().apply(scalars, StepScalars.groupThreshold(s.options(), t), fastProx);
        return sumSq;
    }

    /**
     * Schedule-free AdamW's step of a segment (or run) whose parameters take their own step {@code k}: the group's
     * sums, lr_k and bias correction follow the optimizer's step {@code t}, as the reference's per-group {@code k};
     * {@code z} starts at y at the parameter's first step (the reference creates it then). No prox: it refuses L1.
     */
    private double scheduleFreeUpdate(Segment s, long k, double clip, boolean sumInPass) {
        if (k == 1 && t != 1) scheduleFree.startZ(s);
        double sumSq = 0;
        if (fused && FusedKernels.supports(s.value(), s.grad(), s.state())) {
            KernelScalars ks = scheduleFree.kernelScalars(s, t, clip);
            if (sumInPass) sumSq = FusedKernels.applySummingSquares(ks, s.value(), s.grad(), s.state());
            else FusedKernels.apply(ks, s.value(), s.grad(), s.state());
            lastFused += s.length();
        } else {
            if (sumInPass) sumSq = squaredNorm(s.grad());
            scheduleFree.apply(s, t, clip);
        }
        return sumSq;
    }

    /**
     * PyTorch's {@code clip_grad_norm_} scale, {@code min(1, max / (norm + 1e-6))}, IEEE arithmetic included:
     * NaN for a NaN norm ({@code Math.min} keeps it, as {@code torch.clamp} does), 0 for an infinite one.
     */
    static double clipFactor(double maxNorm, double norm) {
        return Math.min(1.0, maxNorm / (norm + 1e-6));
    }

    /** Counts and logs a step that took a non-finite gradient into the parameters (PROPAGATE). */
    private void notePropagated(long step) {
        propagated++;
        if (propagated == 1) {
            LOG.warn("ndopt: step {}: non-finite gradient in '{}' went into the parameters (NonFinitePolicy.PROPAGATE);"
                    + " later such steps are counted in nonFiniteSteps(), not logged", step, findNonFinite());
        } else {
            LOG.debug("ndopt: step {}: non-finite gradient went into the parameters", step);
        }
    }

    /** L2 norm of all gradients together, as {@code clip_grad_norm_} computes it (NaN/Inf if any is non-finite). */
    public double globalGradNorm() {
        List<INDArray> grads = new ArrayList<>();
        if (!plan.stores.isEmpty()) {
            for (FlatStore store : plan.stores.values()) {
                if (store.length() > 0) grads.add(store.grads());     // zero-size parameters only: 0
            }
        } else {
            for (Param p : params) if (p.length() > 0 && p.hasGrad()) grads.add(p.gradArray());
        }
        double sumSq = 0;
        for (INDArray g : grads) sumSq += squaredNorm(g);
        return sumSq == Double.POSITIVE_INFINITY ? scaledNorm(grads) : Math.sqrt(sumSq);
    }

    /** The norm of finite gradients whose Σ g² overflows a double (|g| near 1e155 and above): max|g|·‖g/max|g|‖. */
    private static double scaledNorm(List<INDArray> grads) {
        double max = 0;
        for (INDArray g : grads) max = Math.max(max, g.amaxNumber().doubleValue());
        if (!Double.isFinite(max)) return max;                // an Inf (or NaN) gradient: no scaling makes it finite
        double sum = 0;
        for (INDArray g : grads) {
            double n = g.castTo(DataType.DOUBLE).div(max).norm2Number().doubleValue();
            sum += n * n;
        }
        return max * Math.sqrt(sum);
    }

    private double squaredNorm(INDArray g) {
        if (fused) {
            double s = FusedKernels.sumSquares(g);
            if (Double.isFinite(s)) return s;
        }
        double n = g.norm2Number().doubleValue();
        if (!Double.isFinite(n) && g.dataType() != DataType.DOUBLE
                && !BooleanIndexing.or(g, Conditions.isNan()) && !BooleanIndexing.or(g, Conditions.isInfinite())) {
            n = g.castTo(DataType.DOUBLE).norm2Number().doubleValue();   // finite values whose float norm overflowed
        }
        return n * n;
    }

    private String findNonFinite() {
        if (onDevice != null) onDevice.pullGradsIfResident();
        for (Param p : params) {
            if (p.length() > 0 && (p.hasGrad() || onDevice != null) && (BooleanIndexing.or(p.gradArray(), Conditions.isNan())
                    || BooleanIndexing.or(p.gradArray(), Conditions.isInfinite()))) {
                return p.name();
            }
        }
        return "<gradient norm overflow>";
    }

    /** Sets every gradient to zeros ({@link Param#zeroGrad()}: the parameters have a gradient, zero). */
    public void zeroGrad() {
        if (!plan.stores.isEmpty()) plan.stores.values().forEach(s -> s.grads().assign(0));
        params.forEach(Param::zeroGrad);
    }

    /**
     * Whether the rule evaluates the model at another point than the one it trains at (schedule-free AdamW);
     * then {@link #evalMode()} and {@link #trainMode()} switch the parameters between the two.
     */
    public boolean hasEvalPoint() { return scheduleFree != null; }

    /**
     * Puts the parameters at the point the model is evaluated, saved and early-stopped at: for schedule-free
     * AdamW the average {@code x = lerp(y, z, 1 − 1/β1)} (the reference's {@code optimizer.eval()}), keeping the
     * train point to return to. A no-op for the other rules and when already in eval mode. {@link #step()} refuses
     * to run in eval mode.
     */
    public void evalMode() {
        if (scheduleFree == null || scheduleFree.evalMode()) return;
        if (onDevice != null) onDevice.onHost(() -> scheduleFree.toEval(plan.segments, paramSteps::stepped));
        else scheduleFree.toEval(plan.segments, paramSteps::stepped);
    }

    /**
     * Puts the parameters back at the train point, bit for bit (the reference's {@code optimizer.train()}
     * recomputes it, which can differ in the last bit). A no-op for the other rules and in train mode.
     */
    public void trainMode() {
        if (scheduleFree == null || !scheduleFree.evalMode()) return;
        if (onDevice != null) onDevice.onHost(() -> scheduleFree.toTrain(plan.segments, paramSteps::stepped));
        else scheduleFree.toTrain(plan.segments, paramSteps::stepped);
    }

    /** Whether the parameters hold the eval point ({@link #evalMode()}); always false without one. */
    public boolean inEvalMode() { return scheduleFree != null && scheduleFree.evalMode(); }

    /** Muon's per-parameter state, or null (for {@link OptimizerState}). */
    MuonState muonState() { return muon; }

    /** The names of the parameters Muon takes (empty for the other rules); the rest go to its aux AdamW. */
    public List<String> muonParams() { return muon == null ? List.of() : muon.muonParams(); }

    /** Adafactor's per-parameter state, or null (for {@link OptimizerState}). */
    AdafactorState adafactorState() { return adafactor; }

    /** Schedule-free AdamW's host state, or null (for {@link OptimizerState}). */
    ScheduleFreeState scheduleFreeState() { return scheduleFree; }

    public Rule rule() { return rule; }
    public List<ParamGroup> groups() { return groups; }
    public List<Param> params() { return params; }
    /** Steps taken so far (skipped steps not counted); the schedule position. */
    public long stepCount() { return t; }
    public long skippedSteps() { return skipped; }
    /**
     * Steps taken under {@link NonFinitePolicy#PROPAGATE} whose gradient held a NaN or ±Inf (they reached the
     * parameters), saved in {@link #stateDict()} ({@code nonfinite_steps}); 0 under the other policies.
     */
    public long nonFiniteSteps() { return propagated; }
    /**
     * Global gradient norm seen by the last {@link #step()} (before clipping). Under
     * {@link NonFinitePolicy#PROPAGATE} without clipping it is summed in the update's pass, per segment, so
     * it may differ from {@link #globalGradNorm()} in the last bits.
     */
    public double lastGradNorm() { return lastNorm; }
    /** How many elements the last step updated with the fused kernels (the rest took the reference path). */
    public long lastStepFusedElements() { return lastFused; }
    /** Whether steps run on fused kernels (the CPU vector kernels, or the GPU's), else the reference path. */
    public boolean fused() { return (fused && rule.elementWise()) || onDevice != null; }
    /** Where the state lives and the update runs. */
    public Device device() { return device; }

    /**
     * The device side of this optimizer's parameters, for a network that runs on the same GPU; throws on
     * the CPU. Reached from outside through {@link DeviceParams#of}, never public.
     */
    DeviceParams deviceParams() {
        if (onDevice == null) throw new IllegalStateException("the optimizer runs on " + device + ", not on a GPU");
        if (deviceParams == null) deviceParams = new StepDeviceParams(onDevice, plan);
        return deviceParams;
    }
    /** The learning rate the next step of the first group will use. */
    public double currentLr() { return groups.isEmpty() ? 0 : groups.get(0).options().lr().lr(t); }

    /** How many tensors and scalars are decayed/regularized and not. */
    public RegularizationSummary summary() {
        long decT = 0, decN = 0, plainT = 0, plainN = 0;
        for (ParamGroup g : groups) {
            for (Param p : g.params()) {
                if (g.options().regularizes() && g.options().regularized().test(p)) { decT++; decN += p.length(); }
                else { plainT++; plainN += p.length(); }
            }
        }
        return new RegularizationSummary(decT, decN, plainT, plainN);
    }

    /** Per group: what is regularized (the mask) and by which structured penalties, for the log line. */
    public String describeRegularization() {
        return String.join("; ", groups.stream()
                .map(g -> "group '" + g.name() + "': " + g.options().describeRegularization()).toList());
    }

    /**
     * The penalty of every group at the strengths of the last step taken (the first step's before any):
     * {@code l1·Σ f|w| + ((l2 + wd)/2)·‖w‖² + λ·Σ_g c_g‖w_g‖₂} over regularized parameters (for decoupled
     * decay, {@code (wd/2)‖w‖²} is its nominal penalty).
     */
    public double penalty() { return OptimizerPenalty.value(this, plan, Math.max(1, t)); }

    /**
     * A copy of the optimizer's state: {@code step}, {@code skipped_steps}, {@code nonfinite_steps} and
     * {@code <param>.<slot>} arrays ({@link #loadStateDict} also takes states saved without {@code nonfinite_steps}).
     */
    public Map<String, INDArray> stateDict() {
        if (onDevice != null) onDevice.pullState();            // the state lives on the GPU: copy it down first
        return OptimizerState.export(this, plan);
    }

    /** Restores a state saved by {@link #stateDict()}; every entry is checked before anything is written. */
    public void loadStateDict(Map<String, INDArray> state) {
        OptimizerState.restore(this, plan, state);
        if (onDevice != null) onDevice.pushState();
    }

    /**
     * Frees the GPU memory of a device optimizer and gives the parameters up, so that another optimizer may
     * take them; {@link #step()} is refused afterwards (the parameters keep their values). Idempotent; use
     * try-with-resources around an optimizer's life.
     */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (onDevice != null) onDevice.close();         // releases everything; throws the first failure
        } finally {
            params.forEach(p -> p.release(this));
        }
    }

    /** NAdam's running product {@code μ_1⋯μ_t} after the steps taken (1 for the other rules and before any step). */
    public double muProduct() { return muProduct; }

    void restoreMuProduct(double p) { this.muProduct = p; }

    void restoreCounters(long steps, long skippedSteps, long nonFiniteSteps) {
        this.t = steps;
        this.skipped = skippedSteps;
        this.propagated = nonFiniteSteps;
    }
}
