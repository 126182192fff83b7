package io.ndopt.internal.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One cuBLAS handle bound to one stream, for row-major products: {@code CUBLAS_DEFAULT_MATH} (no TF32, so
 * float32 products keep float32 precision) unless {@link #tf32} opts in, pointer mode host, and a fixed workspace of the caller's device
 * memory (so cuBLAS never allocates while a stream capture records its kernels: NVIDIA's requirement for
 * capturing cuBLAS in a CUDA graph). cuBLAS is column-major; a row-major
 * {@code C = op(A)·op(B)} is computed as the column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}, which reads the
 * same memory without copies. The library is loaded once per JVM, at the first handle.
 */
final class CublasHandle implements AutoCloseable {
    private final NativeLib<Cublas> lib;
    private final MemorySegment handle;
    private final Arena scalars = Arena.ofShared();
    private final MemorySegment one32, beta32, one64, beta64;
    private final int version;
    private int mathMode = Cublas.DEFAULT_MATH;
    private boolean closed;

    /**
     * A handle on the current context, queuing on {@code stream}, using the {@code workspaceBytes} of device
     * memory at {@code workspace} (the caller frees it after {@link #close}).
     */
    CublasHandle(MemorySegment stream, long workspace, long workspaceBytes) {
        CublasLibrary.Created created = CublasLibrary.create();       // the library that starts under this driver
        this.lib = created.lib();
        this.handle = created.handle();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            check(lib.status(Cublas.GET_VERSION, handle, v), Cublas.GET_VERSION, "reading the version");
            version = v.get(ValueLayout.JAVA_INT, 0);
        }
        check(lib.status(Cublas.SET_STREAM, handle, stream), Cublas.SET_STREAM, "binding the handle to the stream");
        // after cublasSetStream, which resets the workspace to cuBLAS's own pool
        check(lib.status(Cublas.SET_WORKSPACE, handle, workspace, workspaceBytes), Cublas.SET_WORKSPACE,
                "giving the handle a " + workspaceBytes + "-byte workspace");
        check(lib.status(Cublas.SET_MATH_MODE, handle, Cublas.DEFAULT_MATH), Cublas.SET_MATH_MODE,
                "choosing CUBLAS_DEFAULT_MATH");
        check(lib.status(Cublas.SET_POINTER_MODE, handle, Cublas.POINTER_MODE_HOST), Cublas.SET_POINTER_MODE,
                "choosing host scalars");
        one32 = scalars.allocate(ValueLayout.JAVA_FLOAT);
        one32.set(ValueLayout.JAVA_FLOAT, 0, 1f);
        beta32 = scalars.allocate(ValueLayout.JAVA_FLOAT);
        one64 = scalars.allocate(ValueLayout.JAVA_DOUBLE);
        one64.set(ValueLayout.JAVA_DOUBLE, 0, 1.0);
        beta64 = scalars.allocate(ValueLayout.JAVA_DOUBLE);
    }

    /** The library file in use and cuBLAS's version, e.g. "libcublas.so.13 (cuBLAS 130100)". */
    String describe() { return lib.path() + " (cuBLAS " + version + ")"; }

    private static void check(int status, Cublas fn, String context) {
        if (status != 0) throw new CudaException(fn.symbol(), status, Cublas.statusName(status), null, context);
    }

    /** Row-major {@code C[m×n] = op(A)·op(B) + beta·C} on device memory (see {@link io.ndopt.internal.device.DeviceOps#gemm}). */
    void gemm(DataType dtype, boolean transA, boolean transB, int m, int n, int k, long a, long b, double beta,
              long c) {
        if (closed) throw new IllegalStateException("the cuBLAS handle is closed");
        int lda = transA ? m : k, ldb = transB ? k : n;
        int opA = transA ? Cublas.OP_T : Cublas.OP_N, opB = transB ? Cublas.OP_T : Cublas.OP_N;
        String what = "multiplying " + (transA ? "Aᵀ" : "A") + "·" + (transB ? "Bᵀ" : "B") + " (m=" + m + ", n=" + n
                + ", k=" + k + ", " + dtype + ")";
        if (dtype == DataType.FLOAT) {
            beta32.set(ValueLayout.JAVA_FLOAT, 0, (float) beta);
            check(lib.status(Cublas.SGEMM, handle, opB, opA, n, m, k, one32, b, ldb, a, lda, beta32, c, n),
                    Cublas.SGEMM, what);
        } else if (dtype == DataType.DOUBLE) {
            beta64.set(ValueLayout.JAVA_DOUBLE, 0, beta);
            check(lib.status(Cublas.DGEMM, handle, opB, opA, n, m, k, one64, b, ldb, a, lda, beta64, c, n),
                    Cublas.DGEMM, what);
        } else {
            throw new IllegalArgumentException("gemm: dtype " + dtype + " is not supported (use FLOAT or DOUBLE)");
        }
    }

    /** {@code CUBLAS_TF32_TENSOR_OP_MATH} (float32 products on TF32 tensor cores) or back to the default math. */
    void tf32(boolean on) {
        if (closed) throw new IllegalStateException("the cuBLAS handle is closed");
        int mode = on ? Cublas.TF32_TENSOR_OP_MATH : Cublas.DEFAULT_MATH;
        if (mode == mathMode) return;
        check(lib.status(Cublas.SET_MATH_MODE, handle, mode), Cublas.SET_MATH_MODE,
                on ? "choosing CUBLAS_TF32_TENSOR_OP_MATH" : "choosing CUBLAS_DEFAULT_MATH");
        mathMode = mode;
    }

    /**
     * Row-major {@code C[m×n] = op(A)·op(B) + beta·C} with A and B in {@code half} (BFLOAT16 or HALF) and C float32,
     * accumulated in float32 ({@code cublasGemmEx}, {@code CUBLAS_COMPUTE_32F}, default algorithm: tensor cores).
     */
    void gemmMixed(DataType half, boolean transA, boolean transB, int m, int n, int k, long a, long b, double beta,
                   long c) {
        if (closed) throw new IllegalStateException("the cuBLAS handle is closed");
        int type = half == DataType.BFLOAT16 ? Cublas.R_16BF : half == DataType.HALF ? Cublas.R_16F : -1;
        if (type < 0) {
            throw new IllegalArgumentException("gemmMixed: dtype " + half + " is not supported (use BFLOAT16 or HALF)");
        }
        int lda = transA ? m : k, ldb = transB ? k : n;
        int opA = transA ? Cublas.OP_T : Cublas.OP_N, opB = transB ? Cublas.OP_T : Cublas.OP_N;
        beta32.set(ValueLayout.JAVA_FLOAT, 0, (float) beta);
        check(lib.status(Cublas.GEMM_EX, handle, opB, opA, n, m, k, one32, b, type, ldb, a, type, lda, beta32, c,
                Cublas.R_32F, n, Cublas.COMPUTE_32F, Cublas.GEMM_DEFAULT), Cublas.GEMM_EX,
                "multiplying " + (transA ? "Aᵀ" : "A") + "·" + (transB ? "Bᵀ" : "B") + " (m=" + m + ", n=" + n + ", k="
                        + k + ", " + half + " inputs, float32 accumulation)");
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        try {
            check(lib.status(Cublas.DESTROY, handle), Cublas.DESTROY, "destroying the handle");
        } finally {
            scalars.close();
        }
    }
}
