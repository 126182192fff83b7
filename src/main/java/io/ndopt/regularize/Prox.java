package io.ndopt.regularize;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Proximal operators. Each solves {@code argmin_w  (1/2)||w − z||² + t·h(w)} in closed form.
 */
public final class Prox {
    private Prox() {}

    /**
     * Soft threshold, the prox of {@code t·|w|}: {@code sign(z)·max(|z| − t, 0)}, computed as
     * {@code z − clamp(z, −t, t)}. Values with {@code |z| <= t} become exactly {@code +0.0}; the others
     * move toward zero by exactly {@code t} ({@code z − t} or {@code z + t}, one rounding); a NaN stays NaN
     * (the subtraction carries it, whatever the clamp does), ±Inf stays ±Inf.
     */
    public static double softThreshold(double z, double t) {
        return z - Math.max(-t, Math.min(z, t));
    }

    /**
     * {@link #softThreshold(double, double)} for float32, with float's own result: the comparisons
     * are exact in double, and {@code z ∓ t} rounded once to float from double equals float's
     * {@code z ∓ t} (double's 53 bits exceed 2·24 + 2, so the double rounding is innocuous).
     */
    public static float softThreshold(float z, float t) {
        return (float) softThreshold((double) z, t);
    }

    /**
     * In-place soft threshold of a whole array (reference path): {@code z ← z − clamp(z, −t, t)}, that is
     * {@code sign(z)·max(|z| − t, 0)} with NaN kept (see {@link #softThreshold(double, double)}).
     */
    public static INDArray softThresholdi(INDArray z, double t) {
        if (t < 0) throw new IllegalArgumentException("threshold must be >= 0, got " + t);
        if (t == 0 || z.isEmpty()) return z;
        return z.subi(Transforms.min(Transforms.max(z, -t, true), t, false));
    }

    /**
     * Prox of the elastic-net penalty {@code l1·|w| + (l2/2)·w²} with step {@code lr}:
     * {@code softThreshold(z, lr·l1) / (1 + lr·l2)}. ndopt's optimizers apply the L2 part as a
     * gradient term instead (as PyTorch's weight_decay does); this closed form is offered for users
     * who want the fully proximal variant and is used in tests as an optimality check.
     */
    public static double elasticNet(double z, double lr, double l1, double l2) {
        return softThreshold(z, lr * l1) / (1 + lr * l2);
    }
}
