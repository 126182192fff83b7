package io.ndopt.internal.cuda;

import io.ndopt.internal.device.DeviceOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashSet;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link DeviceOps} on one {@link CudaUpdater}'s context and stream: memory through the driver API,
 * products through cuBLAS ({@link CublasHandle}, created with these ops, so an optimizer-only user never
 * loads cuBLAS), the element-wise passes through the kernels of {@code nn.cu}. The loss value is reduced
 * on a fixed grid ({@link CudaUpdater#REDUCE_BLOCKS} blocks at most, device-independent), so it is
 * bitwise repeatable. Memory allocated here and not freed is freed by {@link #close}.
 *
 * <p>Graph capture ({@link CudaGraphs}): while the stream is capturing, kernel launches, cuBLAS products (on
 * the handle's fixed workspace, {@link #CUBLAS_WORKSPACE} bytes) and device copies are recorded; upload,
 * download, synchronize, alloc and free are refused (IllegalStateException naming the call). Any error
 * during a capture ends it and discards what was recorded before it is rethrown.
 */
final class CudaOps implements DeviceOps {
    private final Driver cu;
    private final KernelModule k;
    private final MemorySegment stream;
    private final Runnable enter;
    private final CublasHandle blas;
    private final long partials;
    private final Set<Long> allocations = new LinkedHashSet<>();
    private final long workspace;
    private final CudaGraphs graphs;

    /** cuBLAS's fixed workspace: NVIDIA recommends 32 MiB on Hopper and newer (4 MiB suffices before). */
    static final long CUBLAS_WORKSPACE = 32L << 20;

    /** {@code enter} makes the context current on the calling thread (and refuses a closed updater). */
    CudaOps(Driver cu, KernelModule k, MemorySegment stream, Runnable enter) {
        this.cu = cu;
        this.k = k;
        this.stream = stream;
        this.enter = enter;
        enter.run();
        this.graphs = new CudaGraphs(cu, stream);
        this.workspace = cu.alloc(CUBLAS_WORKSPACE, "the cuBLAS workspace");
        CublasHandle handle = null;
        try {
            handle = new CublasHandle(stream, workspace, CUBLAS_WORKSPACE);
            this.partials = cu.alloc(8L * CudaUpdater.REDUCE_BLOCKS, "loss partial sums");
        } catch (RuntimeException e) {
            try {
                if (handle != null) handle.close();
            } finally {
                cu.free(workspace);
            }
            throw e;
        }
        this.blas = handle;
    }

    /** The cuBLAS in use, e.g. "libcublas.so.13 (cuBLAS 130100)". */
    String cublas() { return blas.describe(); }

    @Override public long alloc(long bytes, String what) {
        if (bytes <= 0) throw new IllegalArgumentException("device alloc of " + what + ": " + bytes + " bytes");
        enter.run();
        graphs.refuse("alloc of " + what);
        long p = cu.alloc(bytes, what);
        allocations.add(p);
        return p;
    }

    @Override public void free(long pointer) {
        enter.run();
        graphs.refuse("free");
        if (!allocations.remove(pointer)) {
            throw new IllegalArgumentException("device free: 0x" + Long.toHexString(pointer)
                    + " was not allocated by these ops (or was freed already)");
        }
        cu.free(pointer);
    }

    @Override public void upload(long devicePointer, long hostAddress, long bytes) {
        enter.run();
        graphs.refuse("upload");
        cu.copyToDevice(nonNull(devicePointer, "upload target"), hostAddress, bytes, stream, "network data");
    }

    @Override public void download(long hostAddress, long devicePointer, long bytes) {
        enter.run();
        graphs.refuse("download");
        cu.copyToHost(hostAddress, nonNull(devicePointer, "download source"), bytes, stream, "network data");
        cu.synchronize(stream, "downloading network data");
    }

    @Override public void copy(long dst, long src, long bytes) {
        recorded(() -> {
            enter.run();
            if (bytes > 0) cu.copyOnDevice(nonNull(dst, "copy target"), nonNull(src, "copy source"), bytes, stream);
        });
    }

    @Override public void synchronize() {
        enter.run();
        graphs.refuse("synchronize");
        cu.synchronize(stream, "waiting for the network's work");
    }

    @Override public void gemm(DataType dtype, boolean transA, boolean transB, int m, int n, int k, long a, long b,
                               double beta, long c) {
        recorded(() -> {
            suffix(dtype, "gemm");
            positive("gemm", "m", m);
            positive("gemm", "n", n);
            positive("gemm", "k", k);
            enter.run();
            blas.gemm(dtype, transA, transB, m, n, k, nonNull(a, "gemm A"), nonNull(b, "gemm B"), beta,
                    nonNull(c, "gemm C"));
        });
    }

    @Override public void biasActivation(DataType dtype, long z, long b, long a, int rows, int n, int activation) {
        recorded(() -> {
            String s = suffix(dtype, "biasActivation");
            shape("biasActivation", rows, n);
            activation(activation);
            enter.run();
            try (Arena ar = Arena.ofConfined()) {
                LaunchArgs args = new LaunchArgs(ar).pointer(nonNull(z, "z")).pointer(nonNull(b, "bias"))
                        .pointer(nonNull(a, "activations"));
                if (activation == ACT_SOFTMAX) launch("bias_softmax" + s, rows, args.i32(rows).i32(n));
                else launch("bias_act" + s, (long) rows * n, args.i64((long) rows * n).i32(n).i32(activation));
            }
        });
    }

    @Override public void activationBackward(DataType dtype, long z, long a, long d, int rows, int n, int activation,
                                             long biasGrad) {
        recorded(() -> {
            String s = suffix(dtype, "activationBackward");
            shape("activationBackward", rows, n);
            activation(activation);
            enter.run();
            try (Arena ar = Arena.ofConfined()) {
                if (activation == ACT_SOFTMAX) {
                    launch("softmax_backward" + s, rows, new LaunchArgs(ar).pointer(nonNull(a, "activations"))
                            .pointer(nonNull(d, "delta")).i32(rows).i32(n));
                } else if (activation != ACT_IDENTITY) {
                    launch("act_backward" + s, (long) rows * n, new LaunchArgs(ar).pointer(nonNull(z, "z"))
                            .pointer(nonNull(a, "activations")).pointer(nonNull(d, "delta")).i64((long) rows * n)
                            .i32(activation));
                }
            }
            try (Arena ar = Arena.ofConfined()) {
                launch("bias_grad" + s, n, new LaunchArgs(ar).pointer(nonNull(d, "delta"))
                        .pointer(nonNull(biasGrad, "bias gradient")).i32(rows).i32(n));
            }
        });
    }

    @Override public void lossAndGradient(DataType dtype, int loss, long out, long y, long grad, int rows, int n,
                                          long valueOut) {
        recorded(() -> {
            String s = suffix(dtype, "lossAndGradient");
            shape("lossAndGradient", rows, n);
            long len = (long) rows * n;
            enter.run();
            String name;
            long work;
            double divisor;
            switch (loss) {
                case LOSS_MSE -> { name = "loss_mse" + s; work = len; divisor = len; }
                case LOSS_BCE_WITH_LOGITS -> { name = "loss_bce" + s; work = len; divisor = len; }
                case LOSS_SOFTMAX_CROSS_ENTROPY -> { name = "loss_softmax_ce" + s; work = rows; divisor = rows; }
                default -> throw new IllegalArgumentException("lossAndGradient: loss code " + loss
                        + " is not one of 0 (MSE), 1 (BCE with logits), 2 (softmax cross-entropy)");
            }
            int blocks = (int) Math.min(CudaUpdater.REDUCE_BLOCKS, (work + KernelModule.BLOCK - 1) / KernelModule.BLOCK);
            try (Arena ar = Arena.ofConfined()) {
                LaunchArgs args = new LaunchArgs(ar).pointer(nonNull(out, "outputs")).pointer(nonNull(y, "targets"))
                        .pointer(nonNull(grad, "gradient"));
                if (loss == LOSS_SOFTMAX_CROSS_ENTROPY) args.i32(rows).i32(n);
                else args.i64(len);
                cu.launch(k.function(name), name, blocks, KernelModule.BLOCK, stream, args.pointer(partials));
            }
            try (Arena ar = Arena.ofConfined()) {
                cu.launch(k.function("mean_partials"), "mean_partials", 1, KernelModule.BLOCK, stream,
                        new LaunchArgs(ar).pointer(partials).i32(blocks).f64(divisor)
                                .pointer(nonNull(valueOut, "value")));
            }
        });
    }

    @Override public void multiply(DataType dtype, long x, long mask, long out, long len) {
        recorded(() -> {
            String s = suffix(dtype, "multiply");
            if (len < 0) throw new IllegalArgumentException("multiply: negative length " + len);
            if (len == 0) return;
            enter.run();
            try (Arena ar = Arena.ofConfined()) {
                launch("multiply" + s, len, new LaunchArgs(ar).pointer(nonNull(x, "x")).pointer(nonNull(mask, "mask"))
                        .pointer(nonNull(out, "out")).i64(len));
            }
        });
    }

    @Override public void gatherRows(DataType dtype, long src, long index, int from, int rows, int width, long dst) {
        recorded(() -> {
            String s = suffix(dtype, "gatherRows");
            shape("gatherRows", rows, width);
            if (from < 0) throw new IllegalArgumentException("gatherRows: negative start " + from + " in the index");
            enter.run();
            try (Arena ar = Arena.ofConfined()) {
                launch("gather_rows" + s, (long) rows * width, new LaunchArgs(ar).pointer(nonNull(src, "source"))
                        .pointer(nonNull(index, "row index")).i32(from).i32(rows).i32(width)
                        .pointer(nonNull(dst, "target")));
            }
        });
    }

    @Override public void gatherRowsAt(DataType dtype, long src, long index, long cursor, int rows, int width,
                                       long dst) {
        recorded(() -> {
            String s = suffix(dtype, "gatherRowsAt");
            shape("gatherRowsAt", rows, width);
            enter.run();
            try (Arena ar = Arena.ofConfined()) {
                launch("gather_rows_at" + s, (long) rows * width, new LaunchArgs(ar).pointer(nonNull(src, "source"))
                        .pointer(nonNull(index, "row index")).pointer(nonNull(cursor, "cursor")).i32(rows).i32(width)
                        .pointer(nonNull(dst, "target")));
            }
        });
    }

    @Override public void advance(long cursor, int rows) {
        recorded(() -> {
            if (rows < 0) throw new IllegalArgumentException("advance: negative row count " + rows);
            enter.run();
            try (Arena ar = Arena.ofConfined()) {
                cu.launch(k.function("advance_cursor"), "advance_cursor", 1, 1, stream,
                        new LaunchArgs(ar).pointer(nonNull(cursor, "cursor")).i32(rows));
            }
        });
    }

    @Override public void toHalf(DataType half, long src, long dst, long len) {
        recorded(() -> {
            String name = half == DataType.BFLOAT16 ? "to_bf16" : half == DataType.HALF ? "to_f16" : null;
            if (name == null) {
                throw new IllegalArgumentException("toHalf: dtype " + half + " is not supported (use BFLOAT16 or HALF)");
            }
            if (len <= 0) throw new IllegalArgumentException("toHalf: length must be positive, got " + len);
            enter.run();
            try (Arena ar = Arena.ofConfined()) {
                launch(name, len, new LaunchArgs(ar).pointer(nonNull(src, "float32 source"))
                        .pointer(nonNull(dst, "16-bit target")).i64(len));
            }
        });
    }

    @Override public void gemmMixed(DataType half, boolean transA, boolean transB, int m, int n, int k, long a, long b,
                                    double beta, long c) {
        recorded(() -> {
            positive("gemmMixed", "m", m);
            positive("gemmMixed", "n", n);
            positive("gemmMixed", "k", k);
            enter.run();
            blas.gemmMixed(half, transA, transB, m, n, k, nonNull(a, "gemm A"), nonNull(b, "gemm B"), beta,
                    nonNull(c, "gemm C"));
        });
    }

    @Override public void tf32(boolean on) {
        enter.run();
        blas.tf32(on);
    }

    @Override public void scale(long x, long len, long factor) {
        recorded(() -> {
            if (len <= 0) throw new IllegalArgumentException("scale: length must be positive, got " + len);
            enter.run();
            try (Arena ar = Arena.ofConfined()) {
                launch("scale_f32", len, new LaunchArgs(ar).pointer(nonNull(x, "x")).i64(len)
                        .pointer(nonNull(factor, "scale factor")));
            }
        });
    }

    @Override public void unscaleAndCheck(long g, long len, long inverse, long found) {
        recorded(() -> {
            if (len <= 0) throw new IllegalArgumentException("unscaleAndCheck: length must be positive, got " + len);
            enter.run();
            try (Arena ar = Arena.ofConfined()) {
                launch("unscale_check_f32", len, new LaunchArgs(ar).pointer(nonNull(g, "gradient")).i64(len)
                        .pointer(nonNull(inverse, "inverse scale")).pointer(nonNull(found, "found flag")));
            }
        });
    }

    @Override public void zero(long p, long bytes) {
        recorded(() -> {
            enter.run();
            if (bytes > 0) cu.zero(nonNull(p, "zero target"), bytes, stream);
        });
    }

    @Override public void beginCapture() {
        enter.run();
        graphs.begin();
    }

    @Override public long endCapture() {
        enter.run();
        return graphs.end();
    }

    @Override public void launchGraph(long graph) {
        enter.run();
        graphs.launch(graph);
    }

    @Override public void destroyGraph(long graph) {
        enter.run();
        graphs.destroy(graph);
    }

    /** Runs {@code op}; if it fails during a capture, the capture is ended and discarded first. */
    private void recorded(Runnable op) {
        try {
            op.run();
        } catch (RuntimeException e) {
            graphs.abandon();
            throw e;
        }
    }

    /** Grid-stride launch over {@code work} items, one thread each. */
    private void launch(String name, long work, LaunchArgs args) {
        cu.launch(k.function(name), name, k.grid(name, work), KernelModule.BLOCK, stream, args);
    }

    private static String suffix(DataType dtype, String op) {
        if (dtype == DataType.FLOAT) return "_f32";
        if (dtype == DataType.DOUBLE) return "_f64";
        throw new IllegalArgumentException(op + ": dtype " + dtype + " is not supported (use FLOAT or DOUBLE)");
    }

    private static void positive(String op, String what, long v) {
        if (v <= 0) throw new IllegalArgumentException(op + ": " + what + " must be positive, got " + v);
    }

    private static void shape(String op, int rows, int n) {
        positive(op, "rows", rows);
        positive(op, "width", n);
    }

    private static void activation(int code) {
        if (code < ACT_IDENTITY || code > ACT_SOFTMAX) {
            throw new IllegalArgumentException("activation code " + code + " is not one of 0..5 (identity, relu, "
                    + "leaky relu, tanh, sigmoid, softmax)");
        }
    }

    private static long nonNull(long pointer, String what) {
        if (pointer == 0) throw new IllegalArgumentException("null device pointer for " + what);
        return pointer;
    }

    /** Ends a capture under way (if any) and discards it. */
    void abandonCapture() { graphs.abandon(); }

    /**
     * Ends a capture under way, destroys the graphs not destroyed, frees what was allocated here and not
     * freed, the loss scratch, the cuBLAS handle and its workspace: each of them even when an earlier one fails,
     * the first failure thrown with the later ones suppressed.
     */
    void close() {
        Closer c = new Closer();                      // every release runs; the first failure is thrown
        c.run(graphs::close);
        for (long p : allocations) c.run(() -> cu.free(p));
        allocations.clear();
        c.run(() -> cu.free(partials));
        c.run(blas::close);
        c.run(() -> cu.free(workspace));
        c.rethrow();
    }
}
