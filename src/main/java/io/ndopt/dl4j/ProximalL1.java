package io.ndopt.dl4j;

import io.ndopt.internal.validate.Require;
import io.ndopt.regularize.Prox;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Proximal L1 for DL4J, applied after the updater (and after DL4J's {@code WeightDecay}, so list
 * it last): with DL4J about to do {@code w ← w − u}, the update is rewritten to
 * {@code u ← w − softThreshold(w − u, lr·l1)}, so the step lands exactly on the soft-thresholded
 * point and small weights become exactly 0 ({@code w − w = 0} in IEEE arithmetic). DL4J's own
 * {@code L1Regularization} adds {@code l1·sign(w)} to the gradient and never reaches zero.
 * For the elastic net add DL4J's {@code L2Regularization} (same λ convention as ndopt's l2).
 */
public final class ProximalL1 implements Regularization {
    private double l1;

    public ProximalL1() {}

    public ProximalL1(double l1) {
        this.l1 = Require.finiteNonNegative("l1", l1);
    }

    public double getL1() { return l1; }

    @Override public ApplyStep applyStep() { return ApplyStep.POST_UPDATER; }

    @Override public void apply(INDArray param, INDArray update, double lr, int iteration, int epoch) {
        if (l1 == 0 || lr == 0) return;
        INDArray next = Prox.softThresholdi(param.sub(update), lr * l1);
        update.assign(param.sub(next));
    }

    @Override public double score(INDArray param, int iteration, int epoch) {
        return l1 * param.norm1Number().doubleValue();
    }

    @Override public ProximalL1 clone() { return new ProximalL1(l1); }

    @Override public boolean equals(Object o) { return o instanceof ProximalL1 p && p.l1 == l1; }

    @Override public int hashCode() { return Double.hashCode(l1); }

    @Override public String toString() { return "ProximalL1(" + l1 + ")"; }
}
