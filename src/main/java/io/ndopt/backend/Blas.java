package io.ndopt.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Row-major GEMM straight into preallocated outputs through the OpenBLAS binding that ND4J's CPU
 * backend itself calls ({@code openblas_nolapack}, the same {@code libopenblas.so.0} and thread
 * pool), so a product costs one native call and no allocation. {@code Nd4j.gemm} into a fresh
 * output costs ~2.5× more at the dense-network sizes (see PERF-NOTES "CPU network training").
 */
public final class Blas {
    private static final boolean CPU = Backend.isCpu();

    private Blas() {}

    /** Whether {@link #gemm} can work on {@code a}: CPU backend, float or double, row-major without gaps. */
    public static boolean supports(INDArray a) {
        return CPU && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE)
                && contiguousC(a);
    }

    /** Elements laid out row-major without gaps (strides of size-1 dimensions do not matter). */
    private static boolean contiguousC(INDArray a) {
        long[] shape = a.shape(), stride = a.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** The array's first element as a native pointer (a view's offset included). */
    public static Pointer pointer(INDArray a) {
        return a.data().addressPointer();
    }

    /**
     * {@code C ← op(A)·op(B) + beta·C} for row-major matrices given by base pointers: {@code op(A)} is
     * {@code m×k}, {@code op(B)} is {@code k×n}, {@code C} is {@code m×n}; {@code lda}/{@code ldb} are
     * the stored row lengths (k or m for A, n or k for B). All three share {@code dtype}.
     */
    public static void gemm(DataType dtype, boolean transA, boolean transB, int m, int n, int k,
                            Pointer a, Pointer b, double beta, Pointer c) {
        gemm(dtype, transA, transB, m, n, k, 1.0, a, transA ? m : k, b, transB ? k : n, beta, c, n);
    }

    /** {@code C ← alpha·op(A)·op(B) + beta·C}, otherwise as {@link #gemm(DataType, boolean, boolean, int, int, int, Pointer, Pointer, double, Pointer)}. */
    public static void gemm(DataType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            Pointer a, Pointer b, double beta, Pointer c) {
        gemm(dtype, transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);
    }

    /**
     * {@link #gemm(DataType, boolean, boolean, int, int, int, Pointer, Pointer, double, Pointer)} with explicit row
     * lengths (leading dimensions), for a block of rows or columns of larger matrices: a pointer's
     * {@code position()} counts in elements from its address.
     */
    public static void gemm(DataType dtype, boolean transA, boolean transB, int m, int n, int k,
                            Pointer a, int lda, Pointer b, int ldb, double beta, Pointer c, int ldc) {
        gemm(dtype, transA, transB, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
    }

    /** {@code C ← alpha·op(A)·op(B) + beta·C} with explicit leading dimensions (row-major). */
    public static void gemm(DataType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            Pointer a, int lda, Pointer b, int ldb, double beta, Pointer c, int ldc) {
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (m == 0 || n == 0) return;
        if (dtype == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, (float) alpha, f32(a), lda,
                    f32(b), ldb, (float) beta, f32(c), ldc);
        } else if (dtype == DataType.DOUBLE) {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, alpha, f64(a), lda, f64(b),
                    ldb, beta, f64(c), ldc);
        } else {
            throw new IllegalArgumentException("gemm: dtype " + dtype + " is not supported (use FLOAT or DOUBLE)");
        }
    }

    /** The CLI jar's entry point that runs {@link BlasCheck#run} (absent from the library jar: the probe then says "unknown"). */
    static final String PROBE_MAIN = "io.ndopt.internal.cli.BlasProbe";
    private static String probed;

    /**
     * Which OpenBLAS kernels run and whether they passed {@link BlasCheck}: the core type forced by
     * {@code OPENBLAS_CORETYPE}, or (with {@code probe}) the one OpenBLAS auto-detects, learned from a
     * child JVM started with {@code OPENBLAS_VERBOSE=2} (OpenBLAS 0.3.19's Java binding has no
     * {@code openblas_get_corename}); without {@code probe} an unset core type reads "auto-detected".
     */
    public static String kernels(boolean probe) {
        if (!Backend.isCpu()) return "not a CPU backend";
        String forced = System.getenv("OPENBLAS_CORETYPE");
        String name = forced != null && !forced.isBlank() ? forced + " (set by OPENBLAS_CORETYPE)"
                : probe ? probedName() + " (auto-detected)" : "auto-detected by OpenBLAS";
        return name + ", " + (BlasCheck.verified() ? "products verified" : "WRONG PRODUCTS: " + BlasCheck.failure());
    }

    private static synchronized String probedName() {
        if (probed != null) return probed;
        probed = "unknown";
        try {
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                    PROBE_MAIN, "--probe");
            pb.environment().put("OPENBLAS_VERBOSE", "2");
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("Core: (\\w+)").matcher(out);
            if (m.find()) probed = m.group(1);
        } catch (IOException e) {
            probed = "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return probed;
    }

    private static FloatPointer f32(Pointer p) { return p instanceof FloatPointer f ? f : new FloatPointer(p); }

    private static DoublePointer f64(Pointer p) { return p instanceof DoublePointer d ? d : new DoublePointer(p); }
}
