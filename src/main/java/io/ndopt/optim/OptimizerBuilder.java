package io.ndopt.optim;

import io.ndopt.internal.validate.Require;
import io.ndopt.device.Device;
import io.ndopt.param.Param;
import io.ndopt.param.Role;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.Grouping;
import io.ndopt.regularize.ParamMask;
import io.ndopt.regularize.PenaltyFactors;
import io.ndopt.regularize.PenaltySchedule;
import io.ndopt.schedule.Schedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Builds an {@link Optimizer}. Options set here are the defaults of every group; {@link #group}
 * overrides them for a named subset of parameters. Every value is validated when set, and the
 * message names the field.
 */
public final class OptimizerBuilder {
    private Rule rule;
    private GroupOptions defaults;
    private final List<GroupSpec> groups = new ArrayList<>();
    private double clipNorm;
    private NonFinitePolicy nonFinite = NonFinitePolicy.ERROR;
    private UpdatePath impl = UpdatePath.AUTO;
    private Layout layout = Layout.FLAT;
    private Device device = Device.cpu();
    private final Map<Param, PenaltyFactors> factors = new IdentityHashMap<>();

    private record GroupSpec(String name, List<Param> params, UnaryOperator<GroupOptions> override) {}

    OptimizerBuilder(Rule rule, double lr, DecayMode mode, double weightDecay) {
        this.rule = rule;
        this.defaults = GroupOptions.defaults(lr).withDecayMode(mode).withWeightDecay(weightDecay);
    }

    public OptimizerBuilder rule(Rule r) { this.rule = Objects.requireNonNull(r, "rule"); return this; }
    /** SGD's, RMSprop's or Muon's momentum. */
    public OptimizerBuilder momentum(double m) {
        if (rule instanceof Rule.RmsProp r) rule = r.withMomentum(m);
        else if (rule instanceof Rule.Muon mu) rule = mu.withMomentum(m, mu.nesterov());
        else rule = sgdRule("momentum").withMomentum(m);
        return this;
    }
    public OptimizerBuilder dampening(double d) { rule = sgdRule("dampening").withDampening(d); return this; }
    /** SGD's or Muon's Nesterov momentum. */
    public OptimizerBuilder nesterov(boolean n) {
        rule = rule instanceof Rule.Muon mu ? mu.withMomentum(mu.momentum(), n) : sgdRule("nesterov").withNesterov(n);
        return this;
    }
    /** The betas of Adam/AdamW, Adamax, NAdam, RAdam, Lion and schedule-free AdamW. */
    public OptimizerBuilder betas(double b1, double b2) {
        if (rule instanceof Rule.Adamax r) rule = r.withBetas(b1, b2);
        else if (rule instanceof Rule.ScheduleFreeAdamW r) rule = r.withBetas(b1, b2);
        else if (rule instanceof Rule.NAdam r) rule = r.withBetas(b1, b2);
        else if (rule instanceof Rule.RAdam r) rule = r.withBetas(b1, b2);
        else if (rule instanceof Rule.Lion r) rule = r.withBetas(b1, b2);
        else rule = adamRule("betas").withBetas(b1, b2);
        return this;
    }

    /**
     * The ε of Adam/AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam and schedule-free AdamW; Muon's
     * Newton–Schulz ε. Adafactor's pair is {@link #adafactorEps}.
     */
    public OptimizerBuilder eps(double e) {
        if (rule instanceof Rule.RmsProp r) rule = r.withEps(e);
        else if (rule instanceof Rule.ScheduleFreeAdamW r) rule = r.withEps(e);
        else if (rule instanceof Rule.Muon mu) rule = mu.withNewtonSchulz(mu.a(), mu.b(), mu.c(), e, mu.nsSteps());
        else if (rule instanceof Rule.Adagrad r) rule = r.withEps(e);
        else if (rule instanceof Rule.Adadelta r) rule = r.withEps(e);
        else if (rule instanceof Rule.Adamax r) rule = r.withEps(e);
        else if (rule instanceof Rule.NAdam r) rule = r.withEps(e);
        else if (rule instanceof Rule.RAdam r) rule = r.withEps(e);
        else rule = adamRule("eps").withEps(e);
        return this;
    }

    /** RMSprop's smoothing constant α. */
    public OptimizerBuilder alpha(double a) { rule = as(Rule.RmsProp.class, "alpha").withAlpha(a); return this; }
    /** RMSprop centered: normalizes by the estimated variance {@code sq − ga²}. */
    public OptimizerBuilder centered(boolean c) { rule = as(Rule.RmsProp.class, "centered").withCentered(c); return this; }
    public OptimizerBuilder lrDecay(double d) { rule = as(Rule.Adagrad.class, "lr_decay").withLrDecay(d); return this; }
    public OptimizerBuilder initialAccumulatorValue(double v) {
        rule = as(Rule.Adagrad.class, "initial_accumulator_value").withInitialAccumulatorValue(v);
        return this;
    }
    /** Adadelta's ρ. */
    public OptimizerBuilder rho(double r) { rule = as(Rule.Adadelta.class, "rho").withRho(r); return this; }
    /** NAdam's momentum decay ψ. */
    public OptimizerBuilder momentumDecay(double psi) { rule = as(Rule.NAdam.class, "momentum_decay").withMomentumDecay(psi); return this; }
    /** Rprop's multiplicative step-size factors {@code (η−, η+)}. */
    public OptimizerBuilder etas(double minus, double plus) { rule = as(Rule.Rprop.class, "etas").withEtas(minus, plus); return this; }
    /** Rprop's step-size bounds. */
    public OptimizerBuilder stepSizes(double min, double max) {
        rule = as(Rule.Rprop.class, "step_sizes").withStepSizes(min, max);
        return this;
    }

    /**
     * NAdam's and RAdam's {@code decoupled_weight_decay}: {@code w·(1 − lr·wd)} before the step
     * ({@link DecayMode#DECOUPLED}) instead of {@code wd·w} in the gradient ({@link DecayMode#COUPLED}).
     */
    public OptimizerBuilder decoupledWeightDecay(boolean d) {
        if (!(rule instanceof Rule.NAdam || rule instanceof Rule.RAdam)) {
            throw new IllegalArgumentException("decoupled_weight_decay applies to NAdam and RAdam only, this optimizer's rule is "
                    + ruleName(rule));
        }
        return decayMode(d ? DecayMode.DECOUPLED : DecayMode.COUPLED);
    }
    public OptimizerBuilder amsgrad(boolean a) { rule = adamRule("amsgrad").withAmsgrad(a); return this; }
    /** Schedule-free AdamW's linear warmup of {@code lr} over the first {@code steps} steps (0 = none). */
    public OptimizerBuilder warmupSteps(long steps) { rule = sfRule("warmup_steps").withWarmupSteps(steps); return this; }
    /** Schedule-free AdamW's {@code r}: the averaging weight grows as {@code (k + 1)^r}. */
    public OptimizerBuilder averagingPower(double r) { rule = sfRule("r").withR(r); return this; }
    /** Schedule-free AdamW's {@code weight_lr_power}: the averaging weight grows as {@code lr_max^p}. */
    public OptimizerBuilder weightLrPower(double p) { rule = sfRule("weight_lr_power").withWeightLrPower(p); return this; }

    public OptimizerBuilder lr(double lr) { defaults = defaults.withLr(lr); return this; }
    public OptimizerBuilder schedule(Schedule s) { defaults = defaults.withSchedule(s); return this; }
    public OptimizerBuilder weightDecay(double wd) { defaults = defaults.withWeightDecay(wd); return this; }
    public OptimizerBuilder decayMode(DecayMode m) { defaults = defaults.withDecayMode(m); return this; }
    public OptimizerBuilder l1(double l1) { defaults = defaults.withL1(l1); return this; }
    public OptimizerBuilder l2(double l2) { defaults = defaults.withL2(l2); return this; }
    /** Ascend instead of descend: the gradient's sign is flipped (PyTorch's {@code maximize}). */
    public OptimizerBuilder maximize(boolean m) { defaults = defaults.withMaximize(m); return this; }
    /** Elastic net: proximal L1 plus an L2 gradient term, penalty {@code l1·||w||₁ + (l2/2)·||w||²}. */
    public OptimizerBuilder elasticNet(double l1, double l2) { return l1(l1).l2(l2); }

    /** Roles that weight decay, L1, L2 and group lasso apply to (default: {@link Role#WEIGHT} only). */
    public OptimizerBuilder regularize(Role... roles) {
        defaults = defaults.withRegularized(roles.length == 0 ? Set.of() : EnumSet.of(roles[0], roles));
        return this;
    }

    /** Which parameters weight decay, L1, L2 and group lasso apply to: by role, name pattern or predicate. */
    public OptimizerBuilder regularize(ParamMask mask) {
        defaults = defaults.withRegularized(Objects.requireNonNull(mask, "mask"));
        return this;
    }

    /**
     * Group lasso {@code λ·Σ_g c_g‖w_g‖₂} on every regularized parameter, as a prox after the (L1 prox of the) update.
     */
    public OptimizerBuilder groupLasso(GroupLasso g) {
        defaults = defaults.withGroupLasso(Objects.requireNonNull(g, "group lasso"));
        return this;
    }

    public OptimizerBuilder groupLasso(double lambda, Grouping grouping) {
        return groupLasso(GroupLasso.of(lambda, grouping));
    }

    /** All penalty-strength schedules at once (default: constant strengths). */
    public OptimizerBuilder penaltySchedule(PenaltySchedule s) {
        defaults = defaults.withPenaltySchedule(Objects.requireNonNull(s));
        return this;
    }

    /**
     * The strength of {@code penalty} ({@code l1}, {@code l2}, {@code group_lasso}, {@code weight_decay})
     * follows the shape of {@code shape}: {@code λ_t = λ·shape.multiplier(t − 1)}, independent of the lr schedule.
     */
    public OptimizerBuilder penaltySchedule(String penalty, Schedule shape) {
        defaults = defaults.withPenaltySchedule(defaults.penaltySchedule()
                .with(penalty, Objects.requireNonNull(shape, "schedule")));
        return this;
    }

    /** Per-weight L1 factors and/or per-group group-lasso factors of one regularized parameter (0 = unpenalized). */
    public OptimizerBuilder penaltyFactors(Param p, PenaltyFactors f) {
        factors.put(Objects.requireNonNull(p, "parameter"), Objects.requireNonNull(f, "penalty factors"));
        return this;
    }

    /** Global-norm clipping threshold (PyTorch {@code clip_grad_norm_}); 0 disables it. */
    public OptimizerBuilder clipNorm(double c) {
        this.clipNorm = Require.finiteNonNegative("clip_norm", c);
        return this;
    }

    public OptimizerBuilder onNonFinite(NonFinitePolicy p) { this.nonFinite = Objects.requireNonNull(p); return this; }
    public OptimizerBuilder impl(UpdatePath i) { this.impl = Objects.requireNonNull(i); return this; }
    public OptimizerBuilder layout(Layout l) { this.layout = Objects.requireNonNull(l); return this; }

    /**
     * Where the state lives and the update runs: {@link Device#cpu()} (default) or {@code Device.cuda(n)},
     * ndopt's CUDA engine (JDK 22+, NVIDIA driver; see {@link io.ndopt.internal.device.Gpu}). Same rule, same numbers.
     */
    public OptimizerBuilder device(Device d) { this.device = Objects.requireNonNull(d, "device"); return this; }

    /** A named group of parameters whose options are the defaults transformed by {@code override}. */
    public OptimizerBuilder group(String name, Collection<Param> params, UnaryOperator<GroupOptions> override) {
        ParamChecks.requireNoNulls(params, "group '" + name + "'");
        groups.add(new GroupSpec(Objects.requireNonNull(name, "group name"), List.copyOf(params), override));
        return this;
    }

    /** The options every group starts from. */
    public GroupOptions defaults() { return defaults; }

    public Rule currentRule() { return rule; }

    /** Builds the optimizer over {@code params}; parameters not named by a {@link #group} form the group "default". */
    public Optimizer build(Collection<Param> params) {
        ParamChecks.requireNoNulls(params, "parameter list");
        Set<String> names = new HashSet<>();
        for (Param p : params) {
            if (!names.add(p.name())) throw new IllegalArgumentException("duplicate parameter name '" + p.name() + "'");
        }
        Map<Param, String> assigned = new IdentityHashMap<>();
        List<ParamGroup> resolved = new ArrayList<>();
        Set<String> groupNames = new HashSet<>();
        for (GroupSpec g : groups) {
            if (!groupNames.add(g.name())) {
                throw new IllegalArgumentException("duplicate group name '" + g.name() + "'");
            }
            for (Param p : g.params()) {
                if (!params.contains(p)) {
                    throw new IllegalArgumentException("group '" + g.name() + "': parameter '" + p.name()
                            + "' is not in the parameter list");
                }
                String prev = assigned.put(p, g.name());
                if (prev != null) {
                    throw new IllegalArgumentException("parameter '" + p.name() + "' is in groups '" + prev + "' and '"
                            + g.name() + "'");
                }
            }
            resolved.add(new ParamGroup(g.name(), g.params(), g.override().apply(defaults)));
        }
        List<Param> rest = params.stream().filter(p -> !assigned.containsKey(p)).toList();
        if (!rest.isEmpty() || resolved.isEmpty()) {
            if (!groupNames.add("default")) throw new IllegalArgumentException("group name 'default' is reserved");
            resolved.add(0, new ParamGroup("default", rest, defaults));
        }
        checkFactors(resolved);
        ParamChecks.requireDistinctStorage(params);
        checkRule(resolved);
        if (rule instanceof Rule.ScheduleFreeAdamW) ScheduleFreeState.check(resolved);
        if (rule instanceof Rule.Muon) MuonState.check(resolved, !factors.isEmpty());
        return new Optimizer(rule, resolved, clipNorm, nonFinite, impl, layout, device, factors);
    }

    private void checkFactors(List<ParamGroup> resolved) {
        for (var e : factors.entrySet()) {
            Param p = e.getKey();
            PenaltyFactors f = e.getValue();
            ParamGroup g = resolved.stream().filter(x -> x.params().contains(p)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("penalty factors: parameter '" + p.name()
                            + "' is not in the parameter list"));
            GroupOptions o = g.options();
            if (!o.regularized().test(p)) {
                throw new IllegalArgumentException("penalty factors: parameter '" + p.name() + "' is not regularized ("
                        + o.regularized() + ")");
            }
            if (f.perWeight() != null) {
                if (!Arrays.equals(f.perWeight().shape(), p.shape())) {
                    throw new IllegalArgumentException("penalty factors: per-weight factors of '" + p.name()
                            + "' have shape " + Arrays.toString(f.perWeight().shape()) + ", expected "
                            + Arrays.toString(p.shape()));
                }
                if (o.l1() == 0) {
                    throw new IllegalArgumentException("penalty factors: per-weight (L1) factors for '" + p.name()
                            + "' but its l1 is 0");
                }
            }
            if (f.perGroup() != null && !o.groupLasso().active()) {
                throw new IllegalArgumentException("penalty factors: group factors for '" + p.name()
                        + "' but its group lasso is off");
            }
        }
    }

    private Rule.Sgd sgdRule(String field) {
        if (rule instanceof Rule.Sgd s) return s;
        throw new IllegalArgumentException(field + " applies to SGD only, this optimizer's rule is " + ruleName(rule));
    }

    private Rule.Adam adamRule(String field) {
        if (rule instanceof Rule.Adam a) return a;
        throw new IllegalArgumentException(field + " applies to Adam/AdamW only, this optimizer's rule is " + ruleName(rule));
    }

    private <R extends Rule> R as(Class<R> type, String field) {
        if (type.isInstance(rule)) return type.cast(rule);
        throw new IllegalArgumentException(field + " applies to " + ruleName(type) + " only, this optimizer's rule is "
                + ruleName(rule));
    }

    /** The rule's name in messages. */
    private static String ruleName(Rule r) { return ruleName(r.getClass()); }

    private static String ruleName(Class<? extends Rule> type) {
        if (type == Rule.Sgd.class) return "SGD";
        if (type == Rule.Adam.class) return "Adam";
        if (type == Rule.ScheduleFreeAdamW.class) return "schedule-free AdamW";
        return type.getSimpleName();
    }

    /** Combinations that cannot mean what they say, refused by name. */
    private void checkRule(List<ParamGroup> resolved) {
        if (rule instanceof Rule.Rprop) {
            for (ParamGroup g : resolved) {
                if (!(g.options().lr() instanceof io.ndopt.schedule.Schedule.Constant)) {
                    throw new IllegalArgumentException("group '" + g.name() + "': Rprop with a learning-rate schedule: "
                            + "Rprop's lr only sets the first step size (the step sizes then adapt per element), so a "
                            + "schedule would not change its steps");
                }
            }
        }
    }

    /** Adafactor's {@code beta2_decay} (≤ 0): the second moment's weight at step t is {@code t^beta2_decay}. */
    public OptimizerBuilder beta2Decay(double b) { rule = adafactorRule("beta2_decay").withBeta2Decay(b); return this; }
    /** Adafactor's {@code eps = (eps1, eps2)}; {@code eps1} null means the dtype's machine epsilon. */
    public OptimizerBuilder adafactorEps(Double eps1, double eps2) {
        rule = adafactorRule("eps").withEps(eps1, eps2);
        return this;
    }
    /** Adafactor's {@code d}: the update's RMS is clipped to it. */
    public OptimizerBuilder clipThreshold(double d) { rule = adafactorRule("d").withClip(d); return this; }

    /** Muon's Newton–Schulz coefficients (a, b, c) and number of iterations. */
    public OptimizerBuilder newtonSchulz(double a, double b, double c, int steps) {
        Rule.Muon mu = muonRule("ns_coefficients");
        rule = mu.withNewtonSchulz(a, b, c, mu.eps(), steps);
        return this;
    }
    /** Muon's lr adjustment to the matrix shape. */
    public OptimizerBuilder adjustLr(Rule.Muon.AdjustLr f) { rule = muonRule("adjust_lr_fn").withAdjustLr(f); return this; }
    /** Which parameters Muon takes (default: the hidden 2-D weights); the rest go to the aux AdamW. */
    public OptimizerBuilder muonParams(Rule.Muon.MuonParams p) { rule = muonRule("muon_params").withParams(p); return this; }
    /** Which parameters Muon takes, by role, name or predicate; each must be a 2-D matrix. */
    public OptimizerBuilder muonParams(ParamMask m) { rule = muonRule("muon_params").withParams(m); return this; }
    /** Muon's aux AdamW: its rule (betas, eps, amsgrad), lr (following the lr schedule's shape) and weight decay. */
    public OptimizerBuilder aux(Rule.Adam r, double lr, double weightDecay) {
        rule = muonRule("aux").withAux(r, lr, weightDecay);
        return this;
    }

    private Rule.Muon muonRule(String field) { return as(Rule.Muon.class, field); }

    private Rule.Adafactor adafactorRule(String field) { return as(Rule.Adafactor.class, field); }

    private Rule.ScheduleFreeAdamW sfRule(String field) { return as(Rule.ScheduleFreeAdamW.class, field); }
}
