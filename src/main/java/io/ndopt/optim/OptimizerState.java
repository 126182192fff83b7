package io.ndopt.optim;

import io.ndopt.param.Param;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Export and import of an optimizer's state as name → array, for checkpoints and exact resume. */
final class OptimizerState {
    static final String STEP = "step";
    static final String SKIPPED = "skipped_steps";
    /** Steps whose non-finite gradient went in (NonFinitePolicy.PROPAGATE); optional: older states lack it (0). */
    static final String NONFINITE = "nonfinite_steps";

    private OptimizerState() {}

    static Map<String, INDArray> export(Optimizer opt, SegmentPlan plan) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(STEP, Nd4j.scalar(DataType.LONG, opt.stepCount()));
        out.put(SKIPPED, Nd4j.scalar(DataType.LONG, opt.skippedSteps()));
        out.put(NONFINITE, Nd4j.scalar(DataType.LONG, opt.nonFiniteSteps()));
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

    static void restore(Optimizer opt, SegmentPlan plan, Map<String, INDArray> state) {
        List<String> slots = opt.rule().stateNames();
        ScheduleFreeState sf = opt.scheduleFreeState();
        long expected = (state.containsKey(NONFINITE) ? 3L : 2L) + (long) slots.size() * opt.params().size()
                + (sf != null ? sf.entries() : 0) + (opt.adafactorState() != null ? opt.adafactorState().entries() : 0)
                + (opt.muonState() != null ? opt.muonState().entries() : 0);
        if (opt.muonState() != null) opt.muonState().check(state);
        if (sf != null) sf.check(state);
        if (opt.adafactorState() != null) opt.adafactorState().check(state);
        for (String required : List.of(STEP, SKIPPED)) {
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
        long steps = state.get(STEP).getLong(0), skipped = state.get(SKIPPED).getLong(0);
        long nonFinite = state.containsKey(NONFINITE) ? state.get(NONFINITE).getLong(0) : 0;
        if (steps < 0 || skipped < 0 || nonFinite < 0) {
            throw new IllegalArgumentException("optimizer state: negative step counters");
        }
        for (Param p : opt.params()) {
            INDArray[] views = plan.stateOf.get(p);
            for (int i = 0; i < slots.size(); i++) {
                if (p.length() > 0) views[i].assign(state.get(p.name() + "." + slots.get(i)));
            }
        }
        if (sf != null) sf.restore(state);
        if (opt.adafactorState() != null) opt.adafactorState().restore(state);
        if (opt.muonState() != null) opt.muonState().restore(state);
        opt.restoreCounters(steps, skipped, nonFinite);
    }
}
