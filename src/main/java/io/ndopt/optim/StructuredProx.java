package io.ndopt.optim;

import io.ndopt.param.Param;
import io.ndopt.regularize.FlatGroupProx;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.GroupProx;
import io.ndopt.regularize.PenaltyFactors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The proximal steps one segment takes after the rule's update that the update kernels do not:
 * L1 with per-weight penalty factors (then the kernels get threshold 0 for this segment and the
 * plain threshold is applied here too), then the group prox. Order, as in sparse group lasso:
 * <pre>
 * w = rule(...)                                  (kernel or reference update; plain L1 inside it when no factors)
 * w = sign(w)·max(|w| − lr_t·l1_t·f, 0)          (per-weight factors f, here)
 * w_g = max(0, 1 − lr_t·λ_t·c_g/‖w_g‖₂)·w_g      (each group of each parameter)
 * </pre>
 * Resolved once per segment at build time; both the fused and the reference optimizer paths call
 * {@link #apply} at the same place, with the fast or the reference implementation.
 */
final class StructuredProx {
    static final StructuredProx NONE = new StructuredProx(List.of(), false);

    /**
     * One parameter: its group-lasso coefficients (null if none), L1 factors (null = all 1), scratch for group norms.
     */
    record Block(Param param, GroupLasso lasso, double[] c, INDArray l1Factors, double[] scratch) {}

    final List<Block> blocks;
    /** Whether this segment's L1 threshold is applied here (some parameter has per-weight factors). */
    final boolean ownsL1;

    private StructuredProx(List<Block> blocks, boolean ownsL1) {
        this.blocks = blocks;
        this.ownsL1 = ownsL1;
    }

    /** The structured steps of a segment of regularized parameters with options {@code o}. */
    static StructuredProx of(GroupOptions o, List<Param> params, Map<Param, PenaltyFactors> factors) {
        boolean ownsL1 = o.l1() > 0 && params.stream()
                .anyMatch(p -> factors.containsKey(p) && factors.get(p).perWeight() != null);
        if (!ownsL1 && !o.groupLasso().active()) return NONE;
        List<Block> blocks = new ArrayList<>();
        for (Param p : params) {
            PenaltyFactors f = factors.get(p);
            double[] c = o.groupLasso().active()
                    ? o.groupLasso().coefficients(p.name(), p.shape(), f == null ? null : f.perGroup()) : null;
            INDArray l1f = !ownsL1 ? null : f != null && f.perWeight() != null
                    ? f.perWeight().castTo(p.dtype()).dup('c')
                    : Nd4j.ones(p.dtype(), p.shape());
            blocks.add(new Block(p, o.groupLasso(), c, l1f, c == null ? null : new double[c.length]));
        }
        return new StructuredProx(List.copyOf(blocks), ownsL1);
    }

    boolean active() { return !blocks.isEmpty(); }

    /** This prox over {@code params} only (a run of a segment whose other parameters have no gradient). */
    StructuredProx restrict(List<Param> params) {
        if (!active()) return this;
        return new StructuredProx(blocks.stream().filter(b -> params.contains(b.param())).toList(), ownsL1);
    }

    /** Step scalars for the update kernels: without the L1 threshold when this segment applies it itself. */
    StepScalars kernelScalars(StepScalars s) {
        return ownsL1 ? s.withThreshold(0) : s;
    }

    /**
     * Applies the L1-with-factors and group proxes of step {@code s}; {@code fast} picks {@link FlatGroupProx} where it
     * can read the arrays.
     */
    void apply(StepScalars s, double groupThreshold, boolean fast) {
        for (Block b : blocks) {
            if (b.param.length() == 0) continue;
            INDArray w = b.param.value();
            boolean flat = fast && FlatGroupProx.supports(w);
            if (ownsL1) {
                if (flat && FlatGroupProx.supports(b.l1Factors)) {
                    FlatGroupProx.softThresholdi(w, b.l1Factors, s.threshold());
                }
                else GroupProx.softThresholdi(w, b.l1Factors, s.threshold());
            }
            if (b.c != null) {
                if (flat) FlatGroupProx.groupShrinki(w, b.lasso.grouping(), b.c, groupThreshold, b.scratch);
                else GroupProx.groupShrinki(w, b.lasso.grouping(), b.c, groupThreshold);
            }
        }
    }

    /** {@code l1·Σ f|w| + λ·Σ_g c_g‖w_g‖} of this segment's parameters (the parts not in the plain penalty). */
    double penalty(double l1, double lambda) {
        double sum = 0;
        for (Block b : blocks) {
            if (b.param.length() == 0) continue;
            INDArray w = b.param.value();
            if (b.l1Factors != null) sum += l1 * Transforms.abs(w, true).muli(b.l1Factors).sumNumber().doubleValue();
            if (b.c != null) sum += lambda * GroupProx.groupNorms(w, b.lasso.grouping(), b.c);
        }
        return sum;
    }
}
