package io.ndopt.internal.device;

import io.ndopt.internal.kernel.KernelScalars;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The optimizer family's whole-tensor rules on a {@link DeviceUpdater}'s device and stream ({@link DeviceUpdater#family()}):
 * per-parameter state buffers mirroring host arrays, Adafactor's and Muon's steps on one parameter, and an element-wise
 * rule's kernel over a range with state buffers of the caller's (Muon's aux AdamW). Pointers are device addresses; the
 * steps do the arithmetic of {@code io.ndopt.optim.ReferenceUpdate.adafactor} and {@code .muon} in the same order, up
 * to the summation order of the reductions and of cuBLAS's products.
 */
public interface DeviceFamily {
    /** A zero-filled device buffer of {@code length} elements of {@code dtype}; {@code what} names it in errors. */
    long alloc(DataType dtype, long length, String what);

    /** Copies {@code host} (dense, row-major) into the device buffer at {@code device} (queued). */
    void upload(long device, INDArray host);

    /** Copies the device buffer at {@code device} into {@code host} (dense, row-major) and waits for it. */
    void download(INDArray host, long device);

    void free(long device);

    /** Queues an element-wise rule's fused kernel over {@code length} elements with state {@code state} (by slot). */
    void launch(DataType dtype, long values, long grads, long[] state, long length, KernelScalars scalars);

    /**
     * One Adafactor step of one parameter, {@code n} matrices {@code a×b} with {@code row} ({@code n×a}) and {@code col}
     * ({@code n×b}), or a vector ({@code n = a = 1}, {@code b} its length) with {@code variance}; the other pointers 0.
     * {@code omega = t^beta2_decay}, {@code rho = min(lr, 1/√t)}; {@code flags} as the kernels' (decay, L2, prox).
     */
    record Adafactor(DataType dtype, long values, long grads, long row, long col, long variance, long n, long a, long b,
                     double gradScale, double l2, double decay, double threshold, double omega, double rho,
                     double eps1, double eps2, double clip, int flags) {}

    void adafactor(Adafactor step);

    /**
     * One Muon step of one {@code rows×cols} matrix with momentum buffer {@code buf}: momentum, Newton–Schulz
     * ({@code nsSteps} iterations of coefficients a, b, c through cuBLAS, in the dtype), {@code w = decay·w − lr·O},
     * the soft threshold; {@code lr} is already adjusted to the shape.
     */
    record Muon(DataType dtype, long values, long grads, long buf, int rows, int cols, double gradScale, double l2,
                double momentum, boolean nesterov, double a, double b, double c, double eps, int nsSteps,
                double decay, double lr, double threshold, int flags) {}

    void muon(Muon step);
}
