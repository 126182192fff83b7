package io.ndopt.nn;

import io.ndopt.internal.passes.FusedPasses;

import io.ndopt.internal.validate.EnumNames;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Element-wise (and row-wise softmax) activations with their hand-written derivatives. */
public enum Activation {
    IDENTITY, RELU, LEAKY_RELU, TANH, SIGMOID, SOFTMAX;

    /** Slope of {@link #LEAKY_RELU} for negative inputs. */
    public static final double LEAKY_SLOPE = FusedPasses.LEAKY_SLOPE;

    public INDArray forward(INDArray z) {
        return switch (this) {
            case IDENTITY -> z.dup();
            case RELU -> Transforms.relu(z, true);
            case LEAKY_RELU -> Transforms.leakyRelu(z, LEAKY_SLOPE, true);
            case TANH -> Transforms.tanh(z, true);
            case SIGMOID -> Transforms.sigmoid(z, true);
            case SOFTMAX -> softmaxRows(z);
        };
    }

    /** dL/dz from dL/da, given the pre-activation z and the activation a = forward(z). */
    public INDArray backward(INDArray z, INDArray a, INDArray dA) {
        return switch (this) {
            case IDENTITY -> dA.dup();
            case RELU -> dA.mul(z.gt(0).castTo(z.dataType()));                       // 1[z > 0]
            case LEAKY_RELU -> dA.mul(z.gt(0).castTo(z.dataType()).muli(1 - LEAKY_SLOPE).addi(LEAKY_SLOPE));
            case TANH -> dA.mul(a.mul(a).rsubi(1));                                  // 1 − a²
            case SIGMOID -> dA.mul(a.mul(a.rsub(1)));                                // a(1 − a)
            case SOFTMAX -> a.mul(dA.subColumnVector(dA.mul(a).sum(true, 1)));        // a ⊙ (dA − Σ dA·a)
        };
    }

    /** Numerically stable softmax over each row: exp(z − max) / Σ exp(z − max). */
    static INDArray softmaxRows(INDArray z) {
        INDArray e = Transforms.exp(z.subColumnVector(z.max(true, 1)), false);
        return e.diviColumnVector(e.sum(true, 1));
    }

    /** Parses an activation name, case-insensitively and with {@code -} for {@code _} ({@code leaky-relu}). */
    public static Activation parse(String s) {
        return EnumNames.parse("activation", s, values(), EnumNames.LOWER_UNDERSCORE);
    }
}
