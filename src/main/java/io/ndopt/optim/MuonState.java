package io.ndopt.optim;

import io.ndopt.internal.device.DeviceFamily;
import io.ndopt.internal.kernel.KernelScalars;
import io.ndopt.param.Param;
import io.ndopt.param.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Muon and its auxiliary AdamW ({@link Rule.Muon}), per parameter: which parameters Muon takes (resolved once, at
 * build time), and their state — {@code momentum_buffer} for Muon's matrices, {@code exp_avg}, {@code exp_avg_sq}
 * (and {@code max_exp_avg_sq}) for the rest — saved as {@code <param>.<name>}.
 */
final class MuonState {
    private final Rule.Muon rule;
    private final List<Param> params;
    private final Map<Param, INDArray[]> state = new IdentityHashMap<>();
    private final Map<Param, Boolean> isMuon = new IdentityHashMap<>();
    private final Map<Param, Boolean> regularized = new IdentityHashMap<>();
    /** The in-place Newton–Schulz workspaces of Muon's matrices, made at their first fast step. */
    private final Map<Param, NewtonSchulz> workspaces = new IdentityHashMap<>();

    MuonState(Rule.Muon rule, List<ParamGroup> groups, List<Param> params) {
        this.rule = rule;
        this.params = params;
        List<Param> weights = params.stream().filter(p -> p.role() == Role.WEIGHT && matrix(p)).toList();
        for (ParamGroup g : groups) {
            for (Param p : g.params()) {
                boolean muon = switch (rule.params().kind()) {
                    case "hidden" -> weights.contains(p) && p != weights.get(0) && p != weights.get(weights.size() - 1);
                    case "weights" -> weights.contains(p);
                    default -> rule.params().mask().predicate().test(p);
                };
                if (muon && !matrix(p)) {
                    throw new IllegalArgumentException("Muon: parameter '" + p.name() + "' has shape "
                            + Arrays.toString(p.shape()) + "; Muon orthogonalizes 2-D matrices only, not vectors (nor "
                            + "a [1, n] bias row); leave it to the aux AdamW: narrow the Muon parameters "
                            + rule.params() + ")");
                }
                isMuon.put(p, muon);
                regularized.put(p, g.options().regularized().test(p));
                int slots = muon ? 1 : rule.aux().stateNames().size();
                INDArray[] st = new INDArray[slots];
                for (int i = 0; i < slots; i++) st[i] = Nd4j.zeros(p.dtype(), p.shape());
                state.put(p, st);
            }
        }
    }

    /** A 2-D matrix: two dimensions, the first above 1 (ND4J stores biases as [1, n] rows: vectors). */
    private static boolean matrix(Param p) { return p.shape().length == 2 && p.shape()[0] > 1; }

    /**
     * Refuses what Muon cannot honour, by name: group lasso and penalty factors act after the step with one lr per
     * group, but Muon's matrices and the aux parameters step at different rates.
     */
    static void check(List<ParamGroup> groups, boolean factors) {
        for (ParamGroup g : groups) {
            if (g.options().groupLasso().active()) {
                throw new IllegalArgumentException("Muon, group '" + g.name() + "': group_lasso's prox takes the "
                        + "step's lr, which differs between Muon's matrices and the aux AdamW; not supported");
            }
        }
        if (factors) {
            throw new IllegalArgumentException("Muon: penalty factors' prox takes the step's lr, which differs between "
                    + "Muon's matrices and the aux AdamW; not supported (plain l1 is)");
        }
    }

    /** The names of the parameters Muon takes, in order (for logs and tests). */
    List<String> muonParams() {
        List<String> out = new ArrayList<>();
        for (Param p : params) if (isMuon.get(p)) out.add(p.name());
        return out;
    }

    /**
     * One step of a segment: Muon at the group's scalars {@code s} ({@code s.t()} the parameters' own step, for the
     * aux AdamW's bias correction); the aux AdamW at its own rate and decay, scheduled at the optimizer's step {@code t}.
     * {@code fast}: Newton–Schulz in place on per-parameter workspaces ({@link NewtonSchulz}), else the reference's.
     */
    void apply(Segment seg, StepScalars s, long t, boolean fast) {
        long k = t - 1;                                   // the schedules follow the optimizer's step t

        GroupOptions o = seg.options();
        double auxLr = rule.auxLr() * o.lr().multiplier(k);
        double wdMult = o.penaltySchedule().weightDecay().multiplier(k);
        for (Param p : seg.params()) {
            if (p.length() == 0) continue;
            INDArray[] st = state.get(p);
            if (isMuon.get(p)) {
                if (fast && NewtonSchulz.supports(p.dtype())) {
                    NewtonSchulz ns = workspaces.computeIfAbsent(p, q -> new NewtonSchulz(q.dtype(), q.shape()[0], q.shape()[1]));
                    ReferenceUpdate.muon(rule, s, p.value(), p.grad(), st[0], u -> ns.orthogonalize(rule, u));
                } else {
                    ReferenceUpdate.muon(rule, s, p.value(), p.grad(), st[0]);
                }
                continue;
            }
            ReferenceUpdate.apply(rule.aux(), auxScalars(p, s, auxLr, wdMult), p.value(), p.grad(), st);
        }
    }

    /** Each parameter's state buffers on the device (in {@link #names} order), once {@link #attach}ed. */
    private final Map<Param, long[]> onDevice = new IdentityHashMap<>();

    /** Mirrors every parameter's state on the device of {@code d} (kept in step by its state transfers). */
    void attach(DeviceStep d) {
        for (Param p : params) {
            List<String> names = names(p);
            long[] ptr = new long[names.size()];
            for (int i = 0; i < ptr.length; i++) ptr[i] = d.mirror(state.get(p)[i], p.name() + "." + names.get(i));
            onDevice.put(p, ptr);
        }
    }

    /**
     * The step of segment {@code i} on the device, as {@link #apply}: Muon's matrices by {@link DeviceFamily#muon}
     * (Newton–Schulz through cuBLAS), the aux parameters by the AdamW kernel over their own state buffers.
     */
    void applyOnDevice(DeviceStep d, int i, Segment seg, StepScalars s, long t) {
        long k = t - 1;
        GroupOptions o = seg.options();
        double auxLr = rule.auxLr() * o.lr().multiplier(k);
        double wdMult = o.penaltySchedule().weightDecay().multiplier(k);
        for (Param p : seg.params()) {
            if (p.length() == 0) continue;
            long[] ptr = onDevice.get(p);
            if (isMuon.get(p)) {
                int rows = (int) p.shape()[0], cols = (int) p.shape()[1];
                int flags = (s.decayFactor() != 1 ? KernelScalars.DECAY : 0) | (s.l2() != 0 ? KernelScalars.L2 : 0)
                        | (s.threshold() > 0 ? KernelScalars.PROX : 0);
                d.family().muon(new DeviceFamily.Muon(p.dtype(), d.values(i, p), d.grads(i, p), ptr[0], rows, cols,
                        s.gradScale(), s.l2(), rule.momentum(), rule.nesterov(), rule.a(), rule.b(), rule.c(),
                        rule.eps(), rule.nsSteps(), s.decayFactor(), rule.adjustedLr(s.lr(), rows, cols),
                        s.threshold(), flags));
                continue;
            }
            d.family().launch(p.dtype(), d.values(i, p), d.grads(i, p), ptr, p.length(),
                    KernelArgs.of(rule.aux(), auxScalars(p, s, auxLr, wdMult)));
        }
    }

    /** The aux AdamW's scalars for {@code p}: its own lr and decay, the group's gradient scale and L2, L1 rescaled. */
    private StepScalars auxScalars(Param p, StepScalars s, double auxLr, double wdMult) {
        double decay = regularized.get(p) ? 1 - auxLr * rule.auxWeightDecay() * wdMult : 1;
        double thr = s.threshold() == 0 ? 0 : s.threshold() * auxLr / s.lr();
        return new StepScalars(s.t(), auxLr, s.gradScale(), decay, s.l2(), thr);
    }

    void export(Map<String, INDArray> out) {
        for (Param p : params) {
            List<String> names = names(p);
            for (int i = 0; i < names.size(); i++) out.put(p.name() + "." + names.get(i), state.get(p)[i].dup());
        }
    }

    int entries() { return params.stream().mapToInt(p -> names(p).size()).sum(); }

    void check(Map<String, INDArray> in) {
        for (Param p : params) {
            for (String n : names(p)) {
                String key = p.name() + "." + n;
                INDArray a = in.get(key);
                if (a == null) throw new IllegalArgumentException("optimizer state: missing '" + key + "'");
                if (!Arrays.equals(a.shape(), p.shape()) || a.dataType() != p.dtype()) {
                    throw new IllegalArgumentException("optimizer state: '" + key + "' has shape "
                            + Arrays.toString(a.shape()) + " " + a.dataType() + ", expected "
                            + Arrays.toString(p.shape()) + " " + p.dtype());
                }
            }
        }
    }

    void restore(Map<String, INDArray> in) {
        for (Param p : params) {
            List<String> names = names(p);
            for (int i = 0; i < names.size(); i++) state.get(p)[i].assign(in.get(p.name() + "." + names.get(i)));
        }
    }

    private List<String> names(Param p) {
        return isMuon.get(p) ? List.of("momentum_buffer") : rule.aux().stateNames();
    }
}
