package io.ndopt.optim;

import io.ndopt.param.Param;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** Export and import of an optimizer's state as name → array, for checkpoints and exact resume. */
final class OptimizerState {
    static final String STEP = "step";
    static final String SKIPPED = "skipped_steps";
    /** Steps whose non-finite gradient went in (NonFinitePolicy.PROPAGATE); optional: older states lack it (0). */
    static final String NONFINITE = "nonfinite_steps";
    /**
     * Steps taken per parameter, in parameter order, when some parameter skipped a step for want of a gradient;
     * absent while every count equals {@link #STEP}.
     */
    static final String PARAM_STEPS = "param_steps";
    /** NAdam's scalar state {@code μ_1⋯μ_t} (torch's {@code state['mu_product']}); present for NAdam only. */
    static final String MU_PRODUCT = "mu_product";

    /**
     * Slots that accumulate squared gradients (the rules', Adafactor's): a finite gradient's square can overflow
     * float32 to +Inf there without any non-finite step, so +Inf is a value they may hold.
     */
    private static final Set<String> SQUARES = Set.of("exp_avg_sq", "max_exp_avg_sq", "square_avg", "sum", "acc_delta",
            "variance", "row_var", "col_var");

    private OptimizerState() {}

    static Map<String, INDArray> export(Optimizer opt, SegmentPlan plan) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(STEP, Nd4j.scalar(DataType.LONG, opt.stepCount()));
        out.put(SKIPPED, Nd4j.scalar(DataType.LONG, opt.skippedSteps()));
        out.put(NONFINITE, Nd4j.scalar(DataType.LONG, opt.nonFiniteSteps()));
        if (!opt.paramSteps.allEqual(opt.stepCount())) {
            out.put(PARAM_STEPS, Nd4j.createFromArray(opt.paramSteps.counts()));
        }
        if (opt.rule() instanceof Rule.NAdam) out.put(MU_PRODUCT, Nd4j.scalar(DataType.DOUBLE, opt.muProduct()));
        List<String> slots = opt.rule().stateNames();
        for (Param p : opt.params()) {
            INDArray[] views = plan.stateOf.get(p);
            for (int i = 0; i < slots.size(); i++) out.put(p.name() + "." + slots.get(i), views[i].dup());
        }
        if (opt.scheduleFreeState() != null) opt.scheduleFreeState().export(out);
        if (opt.adafactorState() != null) opt.adafactorState().export(out);
        if (opt.muonState() != null) opt.muonState().export(out);
        return out;
    }

    /**
     * Adam's second moments (v, max v) are never negative, and NaN only in a state that took a non-finite
     * gradient in ({@link NonFinitePolicy#PROPAGATE}, counted in {@code nonfinite_steps}): else it is refused.
     */
    private static void requireSecondMoment(String key, INDArray a, boolean nanAllowed) {
        if (a.isEmpty()) return;
        if (!nanAllowed && BooleanIndexing.or(a, Conditions.isNan())) {
            throw new IllegalArgumentException("optimizer state: '" + key + "' holds NaN, but no step took a non-finite gradient"
                    + " (nonfinite_steps is 0)");
        }
        if (BooleanIndexing.or(a, Conditions.lessThan(0))) {
            throw new IllegalArgumentException("optimizer state: '" + key + "' holds a negative value;"
                    + " a second moment is >= 0");
        }
    }

    /**
     * Every state array of a parameter ({@code <param>.<slot>}: the rule's, Adafactor's, Muon's) is finite in a state
     * that took no non-finite gradient in ({@code nonfinite_steps} 0; {@link NonFinitePolicy#ERROR} and
     * {@link NonFinitePolicy#SKIP} never let one in); the slots of squares may also hold +Inf ({@link #SQUARES}; a negative value
     * in Adam's, -Inf included, is refused by {@link #requireSecondMoment}).
     */
    private static void requireFinite(Optimizer opt, Map<String, INDArray> state, boolean nonFiniteSeen) {
        if (nonFiniteSeen) return;
        for (Param p : opt.params()) {
            for (Map.Entry<String, INDArray> e : state.entrySet()) {
                String key = e.getKey();
                INDArray a = e.getValue();
                if (!key.startsWith(p.name() + ".") || a == null || a.isEmpty() || !a.dataType().isFPType()) continue;
                String slot = key.substring(p.name().length() + 1);
                if (slot.contains(".")) continue;                               // another parameter's ("fc1.W" vs "fc1")
                boolean nan = BooleanIndexing.or(a, Conditions.isNan());
                boolean inf = !nan && !SQUARES.contains(slot) && BooleanIndexing.or(a, Conditions.isInfinite());
                if (nan || inf) {
                    throw new IllegalArgumentException("optimizer state: '" + key + "' (parameter '" + p.name()
                            + "', state '" + slot + "') holds " + (nan ? "NaN" : "an infinite value")
                            + ", but no step took a non-finite gradient (nonfinite_steps is 0)");
                }
            }
        }
    }

    /** A step counter: one whole number (an integer array, or a floating one holding a finite whole value). */
    private static long counter(Map<String, INDArray> state, String key) {
        INDArray a = state.get(key);
        if (a == null || a.length() != 1) {
            throw new IllegalArgumentException("optimizer state: '" + key + "' must hold one number, got "
                    + (a == null ? "null" : a.length() + " values"));
        }
        if (!a.dataType().isFPType()) {
            long n = a.getLong(0);
            if (n > (1L << 53)) {                               // no run takes 2^53 steps; t + 1 must not overflow
                throw new IllegalArgumentException("optimizer state: '" + key + "' is " + n + ", above 2^53");
            }
            return n;
        }
        double v = a.getDouble(0);
        if (!Double.isFinite(v) || v != Math.rint(v) || Math.abs(v) > 0x1p53) {
            throw new IllegalArgumentException("optimizer state: '" + key + "' must be a whole number, got " + v);
        }
        return (long) v;
    }

    static void restore(Optimizer opt, SegmentPlan plan, Map<String, INDArray> state) {
        if (state == null) throw new IllegalArgumentException("optimizer state is null");
        List<String> slots = opt.rule().stateNames();
        boolean nadam = opt.rule() instanceof Rule.NAdam;
        ScheduleFreeState sf = opt.scheduleFreeState();
        long expected = (state.containsKey(NONFINITE) ? 3L : 2L) + (state.containsKey(PARAM_STEPS) ? 1 : 0) + (nadam ? 1 : 0)
                + (long) slots.size() * opt.params().size()
                + (sf != null ? sf.entries() : 0) + (opt.adafactorState() != null ? opt.adafactorState().entries() : 0)
                + (opt.muonState() != null ? opt.muonState().entries() : 0);
        if (opt.muonState() != null) opt.muonState().check(state);
        if (sf != null) sf.check(state);
        if (opt.adafactorState() != null) opt.adafactorState().check(state);
        for (String required : nadam ? List.of(STEP, SKIPPED, MU_PRODUCT) : List.of(STEP, SKIPPED)) {
            if (!state.containsKey(required)) {
                throw new IllegalArgumentException("optimizer state: missing '" + required + "'");
            }
        }
        for (Param p : opt.params()) {
            for (String slot : slots) {
                String key = p.name() + "." + slot;
                INDArray a = state.get(key);
                if (a == null) throw new IllegalArgumentException("optimizer state: missing '" + key + "'");
                if (!Arrays.equals(a.shape(), p.shape()) || a.dataType() != p.dtype()) {
                    throw new IllegalArgumentException("optimizer state: '" + key + "' has shape "
                            + Arrays.toString(a.shape()) + " " + a.dataType() + ", expected "
                            + Arrays.toString(p.shape()) + " " + p.dtype());
                }
            }
        }
        if (state.size() != expected) {
            throw new IllegalArgumentException("optimizer state: " + state.size() + " entries, expected " + expected
                    + " (does it come from an optimizer with the same rule and parameters?)");
        }
        long steps = counter(state, STEP), skipped = counter(state, SKIPPED);
        long nonFinite = state.containsKey(NONFINITE) ? counter(state, NONFINITE) : 0;
        if (steps < 0 || skipped < 0 || nonFinite < 0) {
            throw new IllegalArgumentException("optimizer state: negative step counters");
        }
        for (Param p : opt.params()) {
            for (String slot : slots) {
                if (slot.contains("_sq")) {
                    requireSecondMoment(p.name() + "." + slot, state.get(p.name() + "." + slot), nonFinite > 0);
                }
            }
        }
        requireFinite(opt, state, nonFinite > 0);
        long[] perParam = perParamSteps(state.get(PARAM_STEPS), steps, opt);
        for (Param p : opt.params()) {
            INDArray[] views = plan.stateOf.get(p);
            for (int i = 0; i < slots.size(); i++) {
                if (p.length() > 0) views[i].assign(state.get(p.name() + "." + slots.get(i)));
            }
        }
        double muProduct = nadam ? state.get(MU_PRODUCT).getDouble(0) : 1;
        if (!(muProduct > 0 && muProduct <= 1)) {
            throw new IllegalArgumentException("optimizer state: mu_product must be in (0, 1], got " + muProduct);
        }
        if (nadam && muProduct != RuleScalars.muProductAt(opt.rule(), steps)) {   // a function of the step count
            throw new IllegalArgumentException("optimizer state: mu_product " + muProduct + " is not the product of the "
                    + steps + " steps' momentum coefficients (" + RuleScalars.muProductAt(opt.rule(), steps) + ")");
        }
        if (sf != null) sf.restore(state);
        if (opt.adafactorState() != null) opt.adafactorState().restore(state);
        if (opt.muonState() != null) opt.muonState().restore(state);
        opt.restoreCounters(steps, skipped, nonFinite);
        opt.restoreMuProduct(muProduct);
        opt.paramSteps.restore(perParam);
    }

    /** The per-parameter counts of a state: each in {@code [0, steps]}, one per parameter; all {@code steps} if absent. */
    private static long[] perParamSteps(INDArray a, long steps, Optimizer opt) {
        long[] counts = new long[opt.params().size()];
        if (a == null) {
            java.util.Arrays.fill(counts, steps);
            return counts;
        }
        if (a.length() != counts.length || a.dataType() != DataType.LONG) {
            throw new IllegalArgumentException("optimizer state: '" + PARAM_STEPS + "' has " + a.length() + " "
                    + a.dataType() + " entries, expected " + counts.length + " LONG (one per parameter)");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] = a.getLong(i);
            if (counts[i] < 0 || counts[i] > steps) {
                throw new IllegalArgumentException("optimizer state: '" + PARAM_STEPS + "' gives parameter '"
                        + opt.params().get(i).name() + "' " + counts[i] + " steps, outside [0, " + steps + "]");
            }
            if (counts[i] != steps && opt.device().isCuda()) {
                throw new IllegalArgumentException("optimizer state: '" + PARAM_STEPS + "' differs per parameter;"
                        + " a GPU optimizer updates every parameter each step and cannot resume it");
            }
        }
        return counts;
    }
}
