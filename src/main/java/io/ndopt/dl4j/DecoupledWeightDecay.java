package io.ndopt.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * AdamW's decoupled decay for DL4J, applied after the updater: the update grows by {@code lr·wd·w},
 * so {@code w − u = w·(1 − lr·wd) − adam(g)}, PyTorch's AdamW. {@code lr} is the updater's current
 * (scheduled) rate. Put it in a layer's {@code regularization} (weights); biases are left alone
 * unless it is also given to {@code regularizationBias}.
 */
public final class DecoupledWeightDecay implements Regularization {
    private double coeff;

    public DecoupledWeightDecay() {}

    public DecoupledWeightDecay(double coeff) {
        if (!(coeff >= 0) || Double.isInfinite(coeff)) throw new IllegalArgumentException("weight_decay must be a finite number >= 0, got " + coeff);
        this.coeff = coeff;
    }

    public double getCoeff() { return coeff; }

    @Override public ApplyStep applyStep() { return ApplyStep.POST_UPDATER; }

    @Override public void apply(INDArray param, INDArray update, double lr, int iteration, int epoch) {
        if (coeff != 0) update.addi(param.mul(lr * coeff));
    }

    /** The nominal penalty {@code (wd/2)·||w||²} (decoupled decay has no exact loss). */
    @Override public double score(INDArray param, int iteration, int epoch) {
        double n = param.norm2Number().doubleValue();
        return 0.5 * coeff * n * n;
    }

    @Override public DecoupledWeightDecay clone() { return new DecoupledWeightDecay(coeff); }

    @Override public boolean equals(Object o) { return o instanceof DecoupledWeightDecay d && d.coeff == coeff; }

    @Override public int hashCode() { return Double.hashCode(coeff); }

    @Override public String toString() { return "DecoupledWeightDecay(" + coeff + ")"; }
}
