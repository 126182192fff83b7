package io.ndopt.internal.device;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The operations a dense network's step needs on a GPU, queued on the stream of the
 * {@link DeviceUpdater} that hands them out ({@link DeviceUpdater#ops()}), so they order with the
 * optimizer's own launches without any synchronization. Pointers are device addresses (bytes);
 * buffers are dense row-major {@code [rows, n]} arrays of {@code dtype} (FLOAT or DOUBLE).
 *
 * <p>Every element-wise pass does the arithmetic of the CPU's fused passes ({@code io.ndopt.internal.passes.FusedPasses})
 * in the same order. float64 passes compute in double as the CPU does, so a GPU step matches a CPU step up to the
 * summation order of the products (cuBLAS) and of the loss value, and float64 results of {@code exp}, {@code tanh}
 * and {@code log1p} may differ from the JDK's {@code Math} in the last bit (CUDA's libdevice is not the JDK's libm).
 * float32 passes compute in float (the CPU computes in double and rounds at each store): they agree with the CPU to
 * a few units in the last place (the GPU suite holds them to 1e-5 relative). Sums over a row, a column or the whole
 * batch (bias gradients, softmax and cross-entropy row sums, the loss value) accumulate in double for both dtypes;
 * the bias gradient sums each column over rows in row order, as the CPU does.
 *
 * <p>Mixed precision ({@link #gemmMixed}, {@link #toHalf}, {@link #scale}, {@link #unscaleAndCheck},
 * {@link #tf32}): float32 master buffers with bfloat16 or float16 copies for the products, which cuBLAS runs on
 * tensor cores with float32 accumulation and float32 results.
 */
public interface DeviceOps {
    /** Activation codes: {@code io.ndopt.nn.Activation}'s ordinals (identity, relu, leaky relu, tanh, sigmoid, softmax). */
    int ACT_IDENTITY = 0, ACT_RELU = 1, ACT_LEAKY_RELU = 2, ACT_TANH = 3, ACT_SIGMOID = 4, ACT_SOFTMAX = 5;
    /** Loss codes: {@code io.ndopt.nn.Loss}'s ordinals (mean squared error, BCE with logits, softmax cross-entropy). */
    int LOSS_MSE = 0, LOSS_BCE_WITH_LOGITS = 1, LOSS_SOFTMAX_CROSS_ENTROPY = 2;

    /** {@code bytes} of device memory (freed by {@link #free}); {@code what} names it in errors. */
    long alloc(long bytes, String what);

    void free(long pointer);

    /** Queues a host-to-device copy; the host memory must stay valid until the next {@link #synchronize}. */
    void upload(long devicePointer, long hostAddress, long bytes);

    /** Copies device memory to the host and waits for it (and for everything queued before). */
    void download(long hostAddress, long devicePointer, long bytes);

    /** Queues a device-to-device copy. */
    void copy(long dst, long src, long bytes);

    /** Waits until everything queued is done. */
    void synchronize();

    /**
     * Row-major {@code C[m×n] = op(A)·op(B) + beta·C}, {@code op(A)} {@code [m×k]} and {@code op(B)} {@code [k×n]},
     * A stored {@code [m×k]} (or {@code [k×m]} if {@code transA}), B {@code [k×n]} (or {@code [n×k]}), dense;
     * {@code beta} is 0 or 1. The same contract as the CPU's {@code io.ndopt.backend.Blas#gemm}.
     */
    void gemm(DataType dtype, boolean transA, boolean transB, int m, int n, int k, long a, long b, double beta,
              long c);

    /** {@code z ← z + b} (b broadcast over rows), then {@code a ← act(z)} ({@code a} may equal {@code z}). */
    void biasActivation(DataType dtype, long z, long b, long a, int rows, int n, int activation);

    /**
     * {@code d ← act'(z) ⊙ d} in place (given z and {@code a = act(z)}), then {@code biasGrad[j] ← Σ_rows d[·, j]}
     * (summed in double in row order, rounded once).
     */
    void activationBackward(DataType dtype, long z, long a, long d, int rows, int n, int activation, long biasGrad);

    /**
     * The loss of outputs {@code out} against targets {@code y} ({@code [rows, n]}): its gradient into
     * {@code grad} and its value, as a double, into device memory at {@code valueOut}.
     */
    void lossAndGradient(DataType dtype, int loss, long out, long y, long grad, int rows, int n, long valueOut);

    /** {@code out ← x ⊙ mask} over {@code len} elements ({@code out} may equal {@code x}). */
    void multiply(DataType dtype, long x, long mask, long out, long len);

    /**
     * Row {@code r} of {@code dst} ({@code [rows, width]}) ← row {@code index[from + r]} of {@code src}, for
     * {@code r < rows}; {@code index} is device memory holding int32 row numbers.
     */
    void gatherRows(DataType dtype, long src, long index, int from, int rows, int width, long dst);

    /**
     * As {@link #gatherRows} with {@code from} read on the device from the int32 at {@code cursor} when the
     * kernel runs (a captured graph replays it for every batch).
     */
    void gatherRowsAt(DataType dtype, long src, long index, long cursor, int rows, int width, long dst);

    /** Queues {@code *cursor += rows} (an int32 in device memory). */
    void advance(long cursor, int rows);

    /**
     * Starts recording this stream's work into a CUDA graph instead of running it: every call until
     * {@link #endCapture} is recorded (no upload, download, synchronize, alloc or free may come between);
     * nothing runs until the graph is launched.
     */
    void beginCapture();

    /** Ends the recording; returns the instantiated graph (free it with {@link #destroyGraph}). */
    long endCapture();

    /** Queues one replay of a captured graph on this stream. */
    void launchGraph(long graph);

    void destroyGraph(long graph);

    // ---- mixed precision (float32 buffers, BFLOAT16 or HALF copies for the products)

    /**
     * {@code dst ← src} rounded to nearest even, {@code len} float32 elements of {@code src} into {@code half}
     * ({@code BFLOAT16} or {@code HALF}, 2 bytes each) at {@code dst}; float16 overflow gives infinity.
     */
    void toHalf(DataType half, long src, long dst, long len);

    /**
     * {@link #gemm} with {@code A} and {@code B} in {@code half} ({@code BFLOAT16} or {@code HALF}) and {@code C}
     * float32, accumulated in float32 ({@code cublasGemmEx}, {@code CUBLAS_COMPUTE_32F}: tensor cores).
     */
    void gemmMixed(DataType half, boolean transA, boolean transB, int m, int n, int k, long a, long b, double beta,
                   long c);

    /**
     * Whether float32 products ({@link #gemm} on FLOAT) may round their inputs to TF32 on tensor cores
     * ({@code CUBLAS_TF32_TENSOR_OP_MATH}; off by default, as PyTorch's {@code allow_tf32}).
     */
    void tf32(boolean on);

    /** {@code x ← x · factor[0]} over {@code len} float32 elements; {@code factor} is a float32 in device memory. */
    void scale(long x, long len, long factor);

    /**
     * {@code g ← g · inverse[0]} over {@code len} float32 elements, and the int32 at {@code found} set to 1 if any
     * {@code g} was NaN or infinite (it is never cleared here: {@link #zero} it first).
     */
    void unscaleAndCheck(long g, long len, long inverse, long found);

    /** Queues {@code bytes} zero bytes at {@code p}. */
    void zero(long p, long bytes);
}
