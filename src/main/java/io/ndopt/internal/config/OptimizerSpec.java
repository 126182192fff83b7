package io.ndopt.internal.config;

import io.ndopt.optim.DecayMode;
import io.ndopt.optim.NonFinitePolicy;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.Rule;
import io.ndopt.regularize.ParamMask;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.param.Role;
import io.ndopt.regularize.GroupLasso;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An optimizer by type and fields, as in conformance specs ({@code {"type": "adamw", "lr": 0.05}}),
 * config files and the CLI's {@code --run adamw:lr=1e-3,wd=1e-2}. Types: {@code sgd}, {@code adam},
 * {@code adamw}, {@code prox_sgd} (plain SGD with proximal L1 and L2, i.e. ISTA / elastic net), and
 * {@code rmsprop}, {@code adagrad}, {@code adadelta}, {@code adamax}, {@code nadam}, {@code radam},
 * {@code rprop}, {@code lion} (PyTorch 2.x fields and defaults). The
 * fields, their types, ranges and defaults are those of {@link Keys}; a field the type does not use,
 * or one that would have no effect (dampening without momentum, a decay mode without decay), is an
 * error, never silently ignored. Every type accepts {@code group_lasso} (a prox after the update and
 * the L1 prox) and {@code penalty_schedule}.
 *
 * @param fields the given fields by key name (aliases resolved); absent ones take {@link Keys}' defaults
 * @param where  names the source in errors
 */
public record OptimizerSpec(String type, Map<String, Object> fields, String where) {
    public OptimizerSpec {
        type = Keys.OPTIMIZER.bind(Raw.typed(type, where));
        Map<String, Object> bound = new LinkedHashMap<>();
        for (var e : fields.entrySet()) {
            Setting<?> s = Keys.byName(e.getKey());
            if (s == null || !s.isOptimizerField()) {
                throw new ConfigException(where + ": unknown optimizer field '" + e.getKey() + "' (valid for " + type
                        + ": " + valid(type) + ")");
            }
            if (!s.appliesTo(type)) {
                throw new ConfigException(where + ": optimizer field '" + s.name() + "' has no effect with type '"
                        + type + "' (valid for " + type + ": " + valid(type) + ")");
            }
            if (bound.put(s.name(), s.bind(Raw.typed(e.getValue(), where))) != null) {
                throw new ConfigException(where + ": optimizer field '" + s.name() + "' is given twice");
            }
        }
        fields = Collections.unmodifiableMap(bound);
        noEffect(type, fields, where);
    }

    public OptimizerSpec(String type, Map<String, Object> fields) { this(type, fields, "optimizer"); }

    /** From a JSON/YAML object {@code {"type": "adamw", "lr": 0.05, ...}}; values must have their exact types. */
    public static OptimizerSpec fromMap(Map<String, ?> m) { return fromMap(m, "optimizer"); }

    public static OptimizerSpec fromMap(Map<String, ?> m, String where) {
        return fromLayer(LayerSpec.bind(Map.of("optimizer", Raw.typed(m, where)), fieldsAndType()), where);
    }

    /** From the CLI form {@code adamw:lr=1e-3,wd=1e-2,betas=0.9/0.999}; values are parsed strictly. */
    public static OptimizerSpec parse(String compact) {
        String where = "--run '" + compact + "'";
        if (!compact.contains(":")) compact = compact + ":";
        return fromLayer(LayerSpec.bind(Map.of("optimizer", Raw.text(compact, where)), fieldsAndType()), where);
    }

    private static OptimizerSpec fromLayer(LayerSpec l, String where) {
        Object type = l.values().get(Keys.OPTIMIZER);
        Map<String, Object> f = new LinkedHashMap<>();
        l.values().forEach((k, v) -> { if (k != Keys.OPTIMIZER) f.put(k.name(), v); });
        return new OptimizerSpec((String) type, f, where);
    }

    private static List<Setting<?>> fieldsAndType() {
        List<Setting<?>> l = new ArrayList<>(Keys.optimizerFields());
        l.add(Keys.OPTIMIZER);
        return l;
    }

    /** A field's value: given, or its default for this type. */
    public <T> T get(Setting<T> key) {
        Object v = fields.get(key.name());
        return v != null ? key.cast(v) : key.defaultFor(type);
    }

    /** This spec with {@code more} fields on top (compare: shared settings under each --run). */
    public OptimizerSpec withFields(Map<String, Object> more) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        f.putAll(more);
        return new OptimizerSpec(type, f, where);
    }

    /**
     * A builder with every field of this spec applied (schedule, clipping, bias decay and non-finite policy included).
     */
    public OptimizerBuilder toBuilder() {
        double lr = get(Keys.LR);
        OptimizerBuilder b = switch (OptimizerType.of(type)) {
            case SGD, PROX_SGD -> Optimizer.sgd(lr);
            case ADAM -> Optimizer.adam(lr);
            case ADAMW -> Optimizer.adamw(lr);
            case RMSPROP -> Optimizer.rmsprop(lr).alpha(get(Keys.ALPHA)).centered(get(Keys.CENTERED));
            case ADAGRAD -> Optimizer.adagrad(lr).lrDecay(get(Keys.LR_DECAY))
                    .initialAccumulatorValue(get(Keys.INITIAL_ACCUMULATOR_VALUE));
            case ADADELTA -> Optimizer.adadelta(lr).rho(get(Keys.RHO));
            case ADAMAX -> Optimizer.adamax(lr);
            case NADAM -> Optimizer.nadam(lr).momentumDecay(get(Keys.MOMENTUM_DECAY))
                    .decoupledWeightDecay(get(Keys.DECOUPLED_WEIGHT_DECAY));
            case RADAM -> Optimizer.radam(lr).decoupledWeightDecay(get(Keys.DECOUPLED_WEIGHT_DECAY));
            case RPROP -> Optimizer.rprop(lr).etas(get(Keys.ETAS).get(0), get(Keys.ETAS).get(1))
                    .stepSizes(get(Keys.STEP_SIZES).get(0), get(Keys.STEP_SIZES).get(1));
            case LION -> Optimizer.lion(lr);
            case SCHEDULE_FREE_ADAMW -> Optimizer.scheduleFreeAdamw(lr).warmupSteps(get(Keys.WARMUP_STEPS))
                    .averagingPower(get(Keys.SF_R)).weightLrPower(get(Keys.WEIGHT_LR_POWER));
            case ADAFACTOR -> Optimizer.adafactor(lr).beta2Decay(get(Keys.BETA2_DECAY))
                    .adafactorEps(get(Keys.EPS1), get(Keys.EPS2)).clipThreshold(get(Keys.CLIP_THRESHOLD));
            case MUON -> muon(Optimizer.muon(lr));
        };
        if (type.equals("sgd")) {
            b.momentum(get(Keys.MOMENTUM)).dampening(get(Keys.DAMPENING)).nesterov(get(Keys.NESTEROV));
        }
        if (type.equals("rmsprop")) b.momentum(get(Keys.MOMENTUM));
        if (Keys.BETAS.appliesTo(type)) b.betas(get(Keys.BETAS).get(0), get(Keys.BETAS).get(1));
        if (Keys.EPS.appliesTo(type)) b.eps(get(Keys.EPS));
        if (Keys.AMSGRAD.appliesTo(type)) b.amsgrad(get(Keys.AMSGRAD));
        if (Keys.WEIGHT_DECAY.appliesTo(type)) b.weightDecay(get(Keys.WEIGHT_DECAY));
        if (get(Keys.DECAY_MODE) != null) b.decayMode(DecayMode.valueOf(get(Keys.DECAY_MODE).toUpperCase(Locale.ROOT)));
        b.l1(get(Keys.L1)).l2(get(Keys.L2)).maximize(get(Keys.MAXIMIZE)).clipNorm(get(Keys.CLIP_NORM));
        if (get(Keys.DECAY_BIAS)) b.regularize(Role.WEIGHT, Role.BIAS);
        b.onNonFinite(NonFinitePolicy.valueOf(get(Keys.NONFINITE).toUpperCase(java.util.Locale.ROOT)));
        ScheduleSpec schedule = get(Keys.SCHEDULE);
        GroupLasso group = get(Keys.GROUP_LASSO);
        if (group != null) b.groupLasso(group);
        Map<String, ScheduleSpec> penalties = get(Keys.PENALTY_SCHEDULE);
        if (penalties != null) penalties.forEach((penalty, shape) -> b.penaltySchedule(penalty, shape.toSchedule(1.0)));
        if (schedule != null) b.schedule(schedule.toSchedule(lr));
        return b;
    }

    private OptimizerBuilder muon(OptimizerBuilder b) {
        List<Double> ns = get(Keys.NS_COEFFICIENTS), auxBetas = get(Keys.AUX_BETAS);
        String which = get(Keys.MUON_PARAMS);
        Rule.Muon.MuonParams params = switch (which) {
            case "hidden" -> Rule.Muon.MuonParams.HIDDEN;
            case "weights" -> Rule.Muon.MuonParams.WEIGHTS;
            default -> Rule.Muon.MuonParams.of(ParamMask.names(which.substring("names:".length())));
        };
        return b.momentum(get(Keys.MOMENTUM)).nesterov(get(Keys.NESTEROV)).eps(get(Keys.EPS))
                .newtonSchulz(ns.get(0), ns.get(1), ns.get(2), get(Keys.NS_STEPS))
                .adjustLr(Rule.Muon.AdjustLr.valueOf(get(Keys.ADJUST_LR_FN).toUpperCase(Locale.ROOT))).muonParams(params)
                .aux(Rule.Adam.defaults().withBetas(auxBetas.get(0), auxBetas.get(1)).withEps(get(Keys.AUX_EPS))
                        .withAmsgrad(get(Keys.AUX_AMSGRAD)), get(Keys.AUX_LR), get(Keys.AUX_WEIGHT_DECAY));
    }

    /** The given fields and the type as plain data, e.g. for a result file. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        fields.forEach((k, v) -> m.put(k, plain(Keys.byName(k), v)));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static <T> Object plain(Setting<T> s, Object v) { return s.kind().plain((T) v); }

    private static String valid(String type) {
        return String.join(", ", Keys.optimizerFields().stream().filter(s -> s.appliesTo(type)).map(Setting::name)
                .sorted().toList());
    }

    private static void noEffect(String type, Map<String, Object> f, String where) {
        double momentum = (Double) f.getOrDefault("momentum", 0.0),
                dampening = (Double) f.getOrDefault("dampening", 0.0);
        if (dampening != 0 && momentum == 0) {
            throw new ConfigException(where + ": 'dampening' has no effect without 'momentum'");
        }
        if (Boolean.TRUE.equals(f.get("nesterov")) && (momentum == 0 || dampening != 0)) {
            throw new ConfigException(where + ": 'nesterov' needs momentum > 0 and dampening 0");
        }
        Object wd = f.getOrDefault("weight_decay", Keys.WEIGHT_DECAY.defaultFor(type));
        for (String mode : List.of("decay_mode", "decoupled_weight_decay")) {
            if (f.containsKey(mode) && (wd == null || (Double) wd == 0)) {
                throw new ConfigException(where + ": '" + mode + "' has no effect without weight decay");
            }
        }
        double reg = (wd == null ? 0 : (Double) wd) + (Double) f.getOrDefault("l1", 0.0)
                + (Double) f.getOrDefault("l2", 0.0);
        if (Boolean.TRUE.equals(f.get("decay_bias")) && reg == 0) {
            throw new ConfigException(where + ": 'decay_bias' has no effect without weight_decay, l1 or l2");
        }
        if (f.get("group_lasso") instanceof GroupLasso g && g.lambda() == 0) {
            throw new ConfigException(where + ": 'group_lasso' with lambda 0 has no effect (leave it out)");
        }
        if (f.get("penalty_schedule") instanceof Map<?, ?> ps) {
            for (Object penalty : ps.keySet()) {
                Object strength = penalty.equals("weight_decay") ? wd : penalty.equals("group_lasso")
                        ? (f.get("group_lasso") instanceof GroupLasso g ? g.lambda() : null) : f.get(penalty);
                if (strength == null || (Double) strength == 0) {
                    throw new ConfigException(where + ": 'penalty_schedule' of " + penalty
                            + " has no effect without " + penalty);
                }
            }
        }
    }
}
