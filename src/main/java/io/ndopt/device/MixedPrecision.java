package io.ndopt.device;

import io.ndopt.internal.validate.EnumNames;
import java.util.Locale;

/**
 * The arithmetic of a float32 network's products and activations on a GPU (the CPU trains in the model's dtype
 * only). In every mode the parameters, their gradients and the optimizer's state are float32 (the master copy): every
 * update rule, proximal step and clipping acts on them unchanged. As PyTorch's {@code allow_tf32} and
 * {@code autocast}:
 * <ul>
 *   <li>{@link #FP32}: float32 throughout (the default);</li>
 *   <li>{@link #TF32}: float32 buffers, the products on TF32 tensor cores (inputs rounded to 10 fraction bits,
 *       float32 accumulation; {@code CUBLAS_TF32_TENSOR_OP_MATH});</li>
 *   <li>{@link #BF16}: the products' operands (inputs, activations, weights, output gradients) rounded to bfloat16,
 *       accumulated in float32 ({@code cublasGemmEx}, {@code CUBLAS_COMPUTE_32F}); element-wise passes, the loss and
 *       the gradients in float32;</li>
 *   <li>{@link #FP16}: as BF16 with float16 operands, and dynamic loss scaling ({@code io.ndopt.train.LossScaler},
 *       PyTorch's {@code GradScaler}) so that small gradients do not flush to zero.</li>
 * </ul>
 */
public enum MixedPrecision {
    FP32, TF32, BF16, FP16;

    /** The name as the command line spells it: fp32, tf32, bf16, fp16. */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    /** Whether the products read 16-bit copies (BF16, FP16). */
    public boolean halfProducts() { return this == BF16 || this == FP16; }

    /** {@code fp32}, {@code tf32}, {@code bf16} or {@code fp16} (any case); the error lists the choices. */
    public static MixedPrecision parse(String s) {
        return EnumNames.parse("precision", s, values(), t -> t.trim().toLowerCase(Locale.ROOT));
    }
}
