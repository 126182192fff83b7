package io.ndopt.optim;

import io.ndopt.param.Param;
import io.ndopt.regularize.PenaltySchedule;
import java.util.HashSet;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The value of an optimizer's whole penalty, for metrics (reference ND4J ops, allocates). */
final class OptimizerPenalty {
    private OptimizerPenalty() {}

    /** {@code l1·Σ f|w| + ((l2 + wd)/2)·‖w‖² + λ·Σ_g c_g‖w_g‖₂} with the strengths of step {@code t}. */
    static double value(Optimizer opt, SegmentPlan plan, long t) {
        long k = t - 1;
        double sum = 0;
        for (Segment s : plan.segments) {
            GroupOptions o = s.options();
            if (!o.regularizes()) continue;
            PenaltySchedule ps = o.penaltySchedule();
            double l1 = o.l1() * ps.l1().multiplier(k);
            double l2 = o.l2() * ps.l2().multiplier(k) + o.weightDecay() * ps.weightDecay().multiplier(k);
            double lambda = o.groupLasso().lambda() * ps.groupLasso().multiplier(k);
            Set<Param> ownL1 = new HashSet<>();
            for (var b : s.prox().blocks) if (b.l1Factors() != null) ownL1.add(b.param());
            for (Param p : s.params()) {
                if (p.length() == 0) continue;
                INDArray w = p.value();
                if (l1 != 0 && !ownL1.contains(p)) sum += l1 * w.norm1Number().doubleValue();
                if (l2 != 0) {
                    double n2 = w.norm2Number().doubleValue();
                    sum += 0.5 * l2 * n2 * n2;
                }
            }
            sum += s.prox().penalty(l1, lambda);
        }
        return sum;
    }
}
