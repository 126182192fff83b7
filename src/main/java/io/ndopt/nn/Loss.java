package io.ndopt.nn;

import io.ndopt.internal.validate.EnumNames;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Losses on a network's raw output (logits for the two cross-entropies), averaged over the batch,
 * with their gradients with respect to that output.
 */
public enum Loss {
    /** {@code mean((out − y)²)} over all elements, no ½ (PyTorch {@code MSELoss}). */
    MSE,
    /** {@code mean(max(z,0) − z·y + log(1 + exp(−|z|)))}: sigmoid + binary cross-entropy, stable for any z. */
    BCE_WITH_LOGITS,
    /** {@code mean_rows(logsumexp(z) − z·y)} with one-hot y: softmax + cross-entropy via log-sum-exp. */
    SOFTMAX_CROSS_ENTROPY;

    public double value(INDArray out, INDArray y) {
        check(out, y);
        return switch (this) {
            case MSE -> {
                INDArray r = out.sub(y);
                yield r.mul(r).meanNumber().doubleValue();
            }
            case BCE_WITH_LOGITS -> {
                INDArray softplus = Transforms.log(Transforms.exp(Transforms.abs(out, true).negi(), false)
                        .addi(1), false);
                yield Transforms.relu(out, true).subi(out.mul(y)).addi(softplus).meanNumber().doubleValue();
            }
            case SOFTMAX_CROSS_ENTROPY -> {
                INDArray max = out.max(true, 1);
                INDArray lse = Transforms.log(Transforms.exp(out.subColumnVector(max), false).sum(true, 1), false)
                        .addi(max);
                yield lse.subi(out.mul(y).sum(true, 1)).meanNumber().doubleValue();
            }
        };
    }

    /** dLoss/dOut. */
    public INDArray gradient(INDArray out, INDArray y) {
        check(out, y);
        return switch (this) {
            case MSE -> out.sub(y).muli(2.0 / out.length());
            case BCE_WITH_LOGITS -> Transforms.sigmoid(out, true).subi(y).divi(out.length());
            case SOFTMAX_CROSS_ENTROPY -> Activation.softmaxRows(out).subi(y).divi(out.rows());
        };
    }

    /** Value and gradient together (one softmax / sigmoid instead of two). */
    public record ValueAndGradient(double value, INDArray gradient) {}

    public ValueAndGradient valueAndGradient(INDArray out, INDArray y) {
        if (this != SOFTMAX_CROSS_ENTROPY) return new ValueAndGradient(value(out, y), gradient(out, y));
        check(out, y);
        INDArray max = out.max(true, 1);
        INDArray e = Transforms.exp(out.subColumnVector(max), false);
        INDArray sum = e.sum(true, 1);
        // loss = mean(log Σ exp(z − max) + max − z·y) ; grad = (softmax(z) − y) / rows
        double v = Transforms.log(sum, true).addi(max).subi(out.mul(y).sum(true, 1)).meanNumber().doubleValue();
        return new ValueAndGradient(v, e.diviColumnVector(sum).subi(y).divi(out.rows()));
    }

    /** The activation that turns the raw output into a prediction (probabilities for the cross-entropies). */
    public INDArray predict(INDArray out) {
        return switch (this) {
            case MSE -> out;
            case BCE_WITH_LOGITS -> Transforms.sigmoid(out, true);
            case SOFTMAX_CROSS_ENTROPY -> Activation.softmaxRows(out);
        };
    }

    public boolean classification() { return this != MSE; }

    private static void check(INDArray out, INDArray y) {
        if (!Arrays.equals(out.shape(), y.shape())) {
            throw new IllegalArgumentException("loss: output shape " + Arrays.toString(out.shape())
                    + " does not match target shape " + Arrays.toString(y.shape()));
        }
    }

    /** Parses a loss name or alias ({@code bce}, {@code ce}), case-insensitively and with {@code -} for {@code _}. */
    public static Loss parse(String s) {
        return EnumNames.parse("loss", s, values(), EnumNames.LOWER_UNDERSCORE, l -> switch (l) {
            case MSE -> List.of("mse");
            case BCE_WITH_LOGITS -> List.of("bce_with_logits", "bce", "binary_cross_entropy");
            case SOFTMAX_CROSS_ENTROPY -> List.of("cross_entropy", "ce", "softmax_cross_entropy");
        });
    }
}
