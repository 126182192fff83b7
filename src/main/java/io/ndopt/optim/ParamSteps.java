package io.ndopt.optim;

import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Steps taken per parameter, PyTorch's per-parameter {@code state['step']}: a parameter without a gradient
 * ({@link Param#hasGrad()} false) is skipped by a step and its count stays; its bias correction and SGD's
 * first-step momentum follow its own count, while the learning-rate schedule follows the optimizer's step.
 * While every parameter has had a gradient at every step the counts equal {@link Optimizer#stepCount()} and a
 * segment is updated whole; otherwise a segment is updated as runs of consecutive parameters that have a
 * gradient and share a count (views of the flat buffers).
 */
final class ParamSteps {
    /** A part of a segment updated together, with its parameters' step number (counted from 1). */
    record Run(Segment segment, long step) {}

    private final List<Param> params;
    private final Map<Param, Integer> index = new IdentityHashMap<>();
    private final long[] taken;

    ParamSteps(List<Param> params) {
        this.params = params;
        this.taken = new long[params.size()];
        for (int i = 0; i < params.size(); i++) index.put(params.get(i), i);
    }

    /** Whether every count equals {@code steps} (then a state needs no per-parameter entry). */
    boolean allEqual(long steps) {
        for (long k : taken) if (k != steps) return false;
        return true;
    }

    long[] counts() { return taken.clone(); }

    /** Whether {@code p} has taken a step (PyTorch: it has per-parameter state). */
    boolean stepped(Param p) { return taken[index.get(p)] > 0; }

    void restore(long[] counts) { System.arraycopy(counts, 0, taken, 0, taken.length); }

    /** Whether a step counts for {@code p}: it has a gradient, or nothing to update (zero-size: always steps). */
    private static boolean active(Param p) { return p.hasGrad() || p.length() == 0; }

    /** After a taken step: every parameter with a gradient has one more step. */
    void advance() {
        for (int i = 0; i < taken.length; i++) if (active(params.get(i))) taken[i]++;
    }

    /** After a step on the device, which updates every parameter: every count is the optimizer's. */
    void advanceAll(long steps) { java.util.Arrays.fill(taken, steps); }

    /** The step number of every parameter of {@code s} when all have a gradient and one count (the usual case), else -1. */
    long wholeStep(Segment s) {
        List<Param> ps = s.params();
        long first = taken[index.get(ps.get(0))];
        for (Param p : ps) if (!active(p) || taken[index.get(p)] != first) return -1;
        return first + 1;
    }

    /** The runs of {@code s} this step updates, when {@link #wholeStep} is -1 (none if no parameter has a gradient). */
    List<Run> runs(Segment s) {
        List<Param> ps = s.params();
        List<Run> out = new ArrayList<>();
        if (ps.size() == 1) return out;                      // one parameter without a gradient: skipped
        List<Param> cur = new ArrayList<>();
        long from = 0, off = 0, step = -1;
        for (Param p : ps) {
            long k = taken[index.get(p)];
            boolean active = p.hasGrad() && p.length() > 0;       // a zero-size parameter needs no range
            if (!cur.isEmpty() && (!active || k != step)) {
                out.add(run(s, cur, from, off, step + 1));
                cur = new ArrayList<>();
            }
            if (active) {
                if (cur.isEmpty()) { from = off; step = k; }
                cur.add(p);
            }
            off += p.length();
        }
        if (!cur.isEmpty()) out.add(run(s, cur, from, off, step + 1));
        return out;
    }

    private static Run run(Segment s, List<Param> ps, long from, long to, long step) {
        INDArray[] state = new INDArray[s.state().length];
        for (int i = 0; i < state.length; i++) state[i] = slice(s.state()[i], from, to);
        return new Run(new Segment(s.group(), s.options(), List.copyOf(ps), slice(s.value(), from, to),
                slice(s.grad(), from, to), state, s.prox().restrict(ps)), step);
    }

    private static INDArray slice(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to));
    }
}
