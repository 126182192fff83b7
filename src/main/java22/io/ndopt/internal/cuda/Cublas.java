package io.ndopt.internal.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.util.List;

/**
 * The cuBLAS functions ndopt calls ({@code cublas_api.h}; every one returns a {@code cublasStatus_t}).
 * The {@code _v2} symbols are what {@code cublas_v2.h}'s macros select. Device matrices are passed as
 * 64-bit addresses ({@code SIZE}, like {@code CUdeviceptr}), host scalars ({@code alpha}, {@code beta},
 * pointer mode host) as pointers. A unit test checks every row against {@code cublas_api.h} where the
 * toolkit's header is installed.
 */
enum Cublas implements NativeFn {
    CREATE("cublasCreate_v2", PTR),                                         // (cublasHandle_t* handle)
    DESTROY("cublasDestroy_v2", PTR),                                       // (cublasHandle_t)
    GET_VERSION("cublasGetVersion_v2", PTR, PTR),                           // (cublasHandle_t, int* version)
    SET_STREAM("cublasSetStream_v2", PTR, PTR),                             // (cublasHandle_t, cudaStream_t)
    SET_MATH_MODE("cublasSetMathMode", PTR, INT),                           // (cublasHandle_t, cublasMath_t)
    SET_POINTER_MODE("cublasSetPointerMode_v2", PTR, INT),                  // (cublasHandle_t, cublasPointerMode_t)
    // (cublasHandle_t, void* workspace (device memory), size_t bytes)
    SET_WORKSPACE("cublasSetWorkspace_v2", PTR, SIZE, SIZE),
    // (handle, transa, transb, int m, int n, int k, const float* alpha, const float* A, int lda,
    //  const float* B, int ldb, const float* beta, float* C, int ldc)
    SGEMM("cublasSgemm_v2", PTR, INT, INT, INT, INT, INT, PTR, SIZE, INT, SIZE, INT, PTR, SIZE, INT),
    DGEMM("cublasDgemm_v2", PTR, INT, INT, INT, INT, INT, PTR, SIZE, INT, SIZE, INT, PTR, SIZE, INT),
    // (handle, transa, transb, int m, int n, int k, const void* alpha, const void* A, cudaDataType_t Atype, int lda,
    //  const void* B, cudaDataType_t Btype, int ldb, const void* beta, void* C, cudaDataType_t Ctype, int ldc,
    //  cublasComputeType_t computeType, cublasGemmAlgo_t algo)
    GEMM_EX("cublasGemmEx", PTR, INT, INT, INT, INT, INT, PTR, SIZE, INT, INT, SIZE, INT, INT, PTR, SIZE, INT, INT,
            INT, INT);

    /** cublasOperation_t, cublasMath_t and cublasPointerMode_t values used. */
    static final int OP_N = 0, OP_T = 1, DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3, POINTER_MODE_HOST = 0;
    /** cudaDataType_t (library_types.h), cublasComputeType_t and cublasGemmAlgo_t values used. */
    static final int R_32F = 0, R_16F = 2, R_16BF = 14, COMPUTE_32F = 68, GEMM_DEFAULT = -1;

    private final String symbol;
    private final FunctionDescriptor descriptor;

    Cublas(String symbol, MemoryLayout... args) {
        this.symbol = symbol;
        this.descriptor = NativeFn.status(args);
    }

    @Override public List<String> symbols() { return List.of(symbol); }
    @Override public FunctionDescriptor descriptor() { return descriptor; }

    /** The {@code cublasStatus_t} name of {@code status} ({@code cublas_api.h}), or null if unknown. */
    static String statusName(int status) {
        return switch (status) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> null;
        };
    }
}
