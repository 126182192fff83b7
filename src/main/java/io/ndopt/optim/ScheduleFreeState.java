package io.ndopt.optim;

import io.ndopt.internal.kernel.KernelScalars;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The host side of schedule-free AdamW ({@link Rule.ScheduleFreeAdamW}): per parameter group the running
 * {@code lr_max} and {@code Σω} (as the reference keeps them in its param groups), the step's {@code lr_k} and
 * averaging weight {@code c}, and whether the parameters hold the train point {@code y} or the eval point
 * {@code x}. Saved in the optimizer's state as {@code schedule_free.<group>.lr_max},
 * {@code schedule_free.<group>.weight_sum} and {@code schedule_free.eval_mode}.
 */
final class ScheduleFreeState {
    static final String PREFIX = "schedule_free.";
    static final String EVAL_MODE = PREFIX + "eval_mode";

    private final Rule.ScheduleFreeAdamW rule;
    private final Map<String, double[]> sums = new LinkedHashMap<>();   // group → {lr_max, Σω}
    private final Map<String, double[]> step = new LinkedHashMap<>();   // group → {lr_k, c} of the step being taken
    private boolean eval;

    ScheduleFreeState(Rule.ScheduleFreeAdamW rule, List<ParamGroup> groups) {
        this.rule = rule;
        for (ParamGroup g : groups) {
            sums.put(g.name(), new double[2]);
            step.put(g.name(), new double[2]);
        }
    }

    /**
     * Refuses what schedule-free AdamW cannot honour, by name: proximal L1 and group lasso (and so the penalty
     * factors, which need one of them) would threshold the train point y only, while the model is evaluated at x, which they would not
     * make sparse — the method has no proximal form; the paper variant of decoupled decay has no counterpart in
     * the reference.
     */
    static void check(List<ParamGroup> groups) {
        for (ParamGroup g : groups) {
            GroupOptions o = g.options();
            String where = "schedule-free AdamW, group '" + g.name() + "': ";
            if (o.l1() > 0 || o.groupLasso().active()) {
                throw new IllegalArgumentException(where + (o.l1() > 0 ? "l1" : "group_lasso")
                        + " is a prox on the train point y, but the model is evaluated at x = lerp(y, z, 1 − 1/β1), "
                        + "which it would not make sparse; use l2 or weight_decay, or a proximal rule (sgd, adamw)");
            }
            if (o.decayMode() == DecayMode.DECOUPLED_SCHEDULE_ONLY) {
                throw new IllegalArgumentException(where + "decay_mode decoupled_schedule_only has no schedule-free "
                        + "form; weight decay is applied at y inside the update (decoupled) or through the gradient "
                        + "(coupled)");
            }
        }
    }

    /** Step {@code t} (from 1) of every group: {@code lr_k}, {@code lr_max}, {@code Σω} and {@code c}. */
    void advance(List<ParamGroup> groups, long t) {
        long k = t - 1;
        for (ParamGroup g : groups) {
            double lrK = g.options().lr().lr(k) * rule.warmup(k);
            double[] s = sums.get(g.name());
            s[0] = Math.max(s[0], lrK);
            double omega = Math.pow(k + 1, rule.r()) * Math.pow(s[0], rule.weightLrPower());
            s[1] += omega;
            double[] now = step.get(g.name());
            now[0] = lrK;
            now[1] = s[1] == 0 ? 0 : omega / s[1];     // the reference's ZeroDivisionError branch
        }
    }

    /** The reference step of segment {@code seg} at step {@code t}, clipping factor {@code clip}, after {@link #advance}. */
    void apply(Segment seg, long t, double clip) {
        ReferenceUpdate.scheduleFree(rule, scalars(seg, t, clip), step.get(seg.group())[1], wd(seg.options(), t),
                seg.value(), seg.grad(), seg.state());
    }

    /** {@code z = y} for a segment whose parameters take their first step after the optimizer's first. */
    void startZ(Segment seg) { rule.state(seg.state()).z().assign(seg.value()); }

    /** The fused kernels' scalars of the same step. */
    KernelScalars kernelScalars(Segment seg, long t, double clip) {
        return KernelArgs.scheduleFree(rule, scalars(seg, t, clip), step.get(seg.group())[1], wd(seg.options(), t));
    }

    /** The step's scalars: lr_k as the rate, clipping and maximize, coupled L2; no decay factor, no threshold. */
    private StepScalars scalars(Segment seg, long t, double clip) {
        StepScalars base = StepScalars.resolve(seg.options(), t, clip);
        return new StepScalars(t, step.get(seg.group())[0], base.gradScale(), 1, base.l2(), 0);
    }

    /** The decoupled weight decay at step {@code t}, applied at y inside the update (0 when coupled). */
    private static double wd(GroupOptions o, long t) {
        return o.decayMode() == DecayMode.DECOUPLED
                ? o.weightDecay() * o.penaltySchedule().weightDecay().multiplier(t - 1) : 0;
    }

    boolean evalMode() { return eval; }

    /**
     * Parameters to the eval point x, the train point y kept in the {@code y} slot; no-op if already there. Only the
     * parameters that have taken a step ({@code stepped}) move: as the reference's {@code eval()}, which interpolates
     * the parameters that have a {@code z} (made at their first step with a gradient) and leaves the others as they are.
     */
    void toEval(List<Segment> segments, Predicate<Param> stepped) {
        if (eval) return;
        for (Segment s : segments) {
            for (Segment p : moving(s, stepped)) {
                var st = rule.state(p.state());
                st.y().assign(p.value());
                ReferenceUpdate.scheduleFreeEvalPoint(rule, p.value(), st.z());
            }
        }
        eval = true;
    }

    /** Parameters back to the train point y, bit for bit (those {@link #toEval} moved); no-op if already there. */
    void toTrain(List<Segment> segments, Predicate<Param> stepped) {
        if (!eval) return;
        for (Segment s : segments) for (Segment p : moving(s, stepped)) p.value().assign(rule.state(p.state()).y());
        eval = false;
    }

    /** The segment whole when each of its parameters has stepped, else a one-parameter view of each that has. */
    private static List<Segment> moving(Segment s, Predicate<Param> stepped) {
        if (s.params().stream().allMatch(stepped)) return List.of(s);
        List<Segment> out = new ArrayList<>();
        long off = 0;
        for (Param p : s.params()) {
            long to = off + p.length();
            if (stepped.test(p) && p.length() > 0) {
                INDArray[] st = new INDArray[s.state().length];
                for (int i = 0; i < st.length; i++) st[i] = range(s.state()[i], off, to);
                out.add(new Segment(s.group(), s.options(), List.of(p), range(s.value(), off, to), range(s.grad(), off, to),
                        st, s.prox()));
            }
            off = to;
        }
        return out;
    }

    private static INDArray range(INDArray a, long from, long to) { return a.get(NDArrayIndex.interval(from, to)); }

    void export(Map<String, INDArray> out) {
        sums.forEach((g, s) -> {
            out.put(PREFIX + g + ".lr_max", Nd4j.scalar(DataType.DOUBLE, s[0]));
            out.put(PREFIX + g + ".weight_sum", Nd4j.scalar(DataType.DOUBLE, s[1]));
        });
        out.put(EVAL_MODE, Nd4j.scalar(DataType.LONG, eval ? 1 : 0));
    }

    /** How many entries {@link #export} writes. */
    int entries() { return 2 * sums.size() + 1; }

    /** Checks every entry of {@code state} this class owns; writes nothing. */
    void check(Map<String, INDArray> state) {
        for (String g : sums.keySet()) {
            for (String key : List.of(PREFIX + g + ".lr_max", PREFIX + g + ".weight_sum")) {
                INDArray a = state.get(key);
                if (a == null) throw new IllegalArgumentException("optimizer state: missing '" + key + "'");
                double v = a.getDouble(0);
                if (a.length() != 1 || !(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("optimizer state: '" + key + "' must be one finite number >= 0");
                }
            }
        }
        INDArray m = state.get(EVAL_MODE);
        if (m == null) throw new IllegalArgumentException("optimizer state: missing '" + EVAL_MODE + "'");
        if (m.length() != 1 || (m.getLong(0) != 0 && m.getLong(0) != 1)) {
            throw new IllegalArgumentException("optimizer state: '" + EVAL_MODE + "' must be 0 or 1");
        }
    }

    void restore(Map<String, INDArray> state) {
        sums.forEach((g, s) -> {
            s[0] = state.get(PREFIX + g + ".lr_max").getDouble(0);
            s[1] = state.get(PREFIX + g + ".weight_sum").getDouble(0);
        });
        eval = state.get(EVAL_MODE).getLong(0) == 1;
    }
}
