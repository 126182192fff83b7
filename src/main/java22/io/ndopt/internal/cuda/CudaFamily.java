package io.ndopt.internal.cuda;

import io.ndopt.internal.device.DeviceFamily;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.kernel.KernelScalars;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link DeviceFamily} on one {@link CudaUpdater}'s context and stream: Adafactor's and Muon's steps as launches of
 * {@code family.cu}'s kernels (reductions on the fixed grid of {@link CudaUpdater#REDUCE_BLOCKS} blocks, so sums are
 * bitwise repeatable), Muon's Newton–Schulz products through the updater's cuBLAS handle ({@link DeviceOps#gemm}).
 * Scratch memory (reduction partials, Adafactor's per-matrix row means, Newton–Schulz's four workspaces) is allocated
 * at first need, grown to the largest parameter seen, and freed by {@link #close} with every state buffer.
 */
final class CudaFamily implements DeviceFamily, AutoCloseable {
    private static final int TRANSPOSE = 512, HI1 = 1024, HI2 = 2048;

    private final Driver cu;
    private final KernelModule k;
    private final MemorySegment stream;
    private final Runnable enter;
    private final Supplier<DeviceOps> ops;
    private final Set<Long> buffers = new LinkedHashSet<>();
    private final long partials, sums;
    /** Grown on demand: {rmean, X, Y, S, T} and their sizes in bytes. */
    private final long[] scratch = new long[5], scratchBytes = new long[5];

    CudaFamily(Driver cu, KernelModule k, MemorySegment stream, Runnable enter, Supplier<DeviceOps> ops) {
        this.cu = cu;
        this.k = k;
        this.stream = stream;
        this.enter = enter;
        this.ops = ops;
        enter.run();
        this.partials = cu.alloc(8L * CudaUpdater.REDUCE_BLOCKS, "family reduction partial sums");
        long s;
        try {
            s = cu.alloc(16, "family reduction results");
        } catch (RuntimeException e) {
            cu.free(partials);
            throw e;
        }
        this.sums = s;
    }

    private static int width(DataType dt) {
        if (dt == DataType.FLOAT) return 4;
        if (dt == DataType.DOUBLE) return 8;
        throw new IllegalArgumentException("the optimizer family on the GPU takes FLOAT or DOUBLE, not " + dt);
    }

    @Override public long alloc(DataType dtype, long length, String what) {
        enter.run();
        long bytes = Math.max(1, length) * width(dtype);
        long p = cu.alloc(bytes, what);
        buffers.add(p);
        cu.zero(p, bytes, stream);
        return p;
    }

    @Override public void upload(long device, INDArray host) {
        enter.run();
        cu.copyToDevice(device, host.data().addressPointer().address(), host.length() * width(host.dataType()),
                stream, "optimizer state");
        cu.synchronize(stream, "uploading optimizer state");
    }

    @Override public void download(INDArray host, long device) {
        enter.run();
        cu.copyToHost(host.data().addressPointer().address(), device, host.length() * width(host.dataType()),
                stream, "optimizer state");
        cu.synchronize(stream, "downloading optimizer state");
    }

    @Override public void free(long device) {
        enter.run();
        if (!buffers.remove(device)) {
            throw new IllegalArgumentException("device free: 0x" + Long.toHexString(device) + " was not allocated here");
        }
        cu.free(device);
    }

    @Override public void launch(DataType dtype, long values, long grads, long[] state, long length, KernelScalars s) {
        enter.run();
        CudaUpdater.launchRule(cu, k, stream, width(dtype), values, grads, state, length, s);
    }

    /** Queues kernel {@code base_f32|f64} over {@code work} items (grid-stride, at most one wave). */
    private void run(String base, boolean f32, long work, Consumer<LaunchArgs> args) {
        String name = base + (f32 ? "_f32" : "_f64");
        try (Arena a = Arena.ofConfined()) {
            LaunchArgs la = new LaunchArgs(a);
            args.accept(la);
            cu.launch(k.function(name), name, k.grid(name, work), KernelModule.BLOCK, stream, la);
        }
    }

    /** Queues a block-partial reduction over {@code len} items ({@code args} up to the partials), then its sum into {@code out}. */
    private void reduce(String name, long len, Consumer<LaunchArgs> args, long out) {
        int blocks = (int) Math.max(1, Math.min(CudaUpdater.REDUCE_BLOCKS, (len + KernelModule.BLOCK - 1) / KernelModule.BLOCK));
        try (Arena a = Arena.ofConfined()) {
            LaunchArgs la = new LaunchArgs(a);
            args.accept(la);
            cu.launch(k.function(name), name, blocks, KernelModule.BLOCK, stream, la.pointer(partials));
        }
        try (Arena a = Arena.ofConfined()) {
            cu.launch(k.function("sum_partials"), "sum_partials", 1, KernelModule.BLOCK, stream,
                    new LaunchArgs(a).pointer(partials).i32(blocks).pointer(out));
        }
    }

    private static LaunchArgs real(LaunchArgs a, boolean f32, double v) { return f32 ? a.f32((float) v) : a.f64(v); }

    /** Scratch buffer {@code i} of at least {@code bytes}. */
    private long scratch(int i, long bytes) {
        if (scratchBytes[i] < bytes) {
            if (scratch[i] != 0) cu.free(scratch[i]);
            scratch[i] = 0;
            scratchBytes[i] = 0;
            scratch[i] = cu.alloc(bytes, "optimizer family workspace " + i);
            scratchBytes[i] = bytes;
        }
        return scratch[i];
    }

    @Override public void adafactor(Adafactor s) {
        enter.run();
        boolean f32 = s.dtype() == DataType.FLOAT;
        int w = width(s.dtype());
        long len = s.n() * s.a() * s.b();
        boolean factored = s.variance() == 0;
        boolean hi = Math.abs(s.omega()) >= 0.5;
        long rmean = 0;
        if (factored) {
            for (String base : new String[] {"af_rows", "af_cols"}) {
                boolean rows = base.equals("af_rows");
                run(base, f32, s.n() * (rows ? s.a() : s.b()), a -> {
                    a.pointer(s.values()).pointer(s.grads()).pointer(rows ? s.row() : s.col()).i64(s.n()).i64(s.a()).i64(s.b());
                    real(real(real(real(a, f32, s.gradScale()), f32, s.l2()), f32, s.omega()), f32, 1 - s.omega());
                    a.i32(hi ? 1 : 0).i32(s.flags());
                });
            }
            long rm = scratch(0, s.n() * w);
            run("af_row_mean", f32, s.n(), a -> a.pointer(s.row()).i64(s.n()).i64(s.a()).f64(s.eps1()).pointer(rm));
            rmean = rm;
        }
        long rmeanPtr = rmean;
        double eps1sq = s.eps1() * s.eps1();
        reduce(f32 ? "sumsq_f32" : "sumsq_f64", len, a -> a.pointer(s.values()).i64(len), sums);   // RMS(w) before the step
        reduce(f32 ? "af_sum_u_f32" : "af_sum_u_f64", len, a -> {
            a.pointer(s.values()).pointer(s.grads()).pointer(s.row()).pointer(s.col()).pointer(rmeanPtr)
                    .pointer(s.variance()).i64(s.n()).i64(s.a()).i64(s.b());
            real(real(real(real(a, f32, s.gradScale()), f32, s.l2()), f32, s.omega()), f32, 1 - s.omega());
            real(a.i32(hi ? 1 : 0), f32, eps1sq).i32(s.flags());
        }, sums + 8);
        run("af_update", f32, len, a -> {
            a.pointer(s.values()).pointer(s.grads()).pointer(s.row()).pointer(s.col()).pointer(rmeanPtr)
                    .pointer(s.variance()).i64(s.n()).i64(s.a()).i64(s.b());
            real(real(real(real(real(a, f32, s.gradScale()), f32, s.l2()), f32, eps1sq), f32, s.decay()), f32,
                    s.threshold());
            a.f64(s.rho()).f64(s.eps2()).f64(s.clip()).pointer(sums).i32(s.flags());
        });
    }

    @Override public void muon(Muon s) {
        enter.run();
        boolean f32 = s.dtype() == DataType.FLOAT;
        int w = width(s.dtype());
        int r = Math.min(s.rows(), s.cols()), kk = Math.max(s.rows(), s.cols());
        long xy = (long) r * kk, sq = (long) r * r;
        long x = scratch(1, xy * w), y = scratch(2, xy * w), gram = scratch(3, sq * w), upd = scratch(4, sq * w);
        double w1 = 1 - s.momentum(), w2 = s.momentum();
        int flags = s.flags() | (s.rows() > s.cols() ? TRANSPOSE : 0) | (s.nesterov() ? KernelScalars.NESTEROV : 0)
                | (Math.abs(w1) >= 0.5 ? HI1 : 0) | (Math.abs(w2) >= 0.5 ? HI2 : 0);
        run("mu_momentum", f32, xy, a -> {
            a.pointer(s.values()).pointer(s.grads()).pointer(s.buf()).pointer(x).i64(s.rows()).i64(s.cols());
            real(real(real(real(real(real(a, f32, s.gradScale()), f32, s.l2()), f32, w1), f32, 1 - w1), f32, w2), f32,
                    1 - w2).i32(flags);
        });
        reduce(f32 ? "sumsq_f32" : "sumsq_f64", xy, a -> a.pointer(x).i64(xy), sums);
        run("mu_normalize", f32, xy, a -> a.pointer(x).i64(xy).pointer(sums).f64(s.eps()));
        DeviceOps blas = ops.get();
        long cur = x, next = y;
        for (int i = 0; i < s.nsSteps(); i++) {
            long xi = cur, yi = next;
            blas.gemm(s.dtype(), false, true, r, r, kk, xi, xi, 0, gram);                      // S = X·Xᵀ
            blas.gemm(s.dtype(), false, false, r, r, r, gram, gram, 0, upd);                   // S·S
            run("mu_combine", f32, sq, a -> real(real(a.pointer(upd).pointer(gram).i64(sq), f32, s.b()), f32, s.c()));
            blas.gemm(s.dtype(), false, false, r, kk, r, upd, xi, 0, yi);                      // (b·S + c·S·S)·X
            run("mu_axpy", f32, xy, a -> real(a.pointer(yi).pointer(xi).i64(xy), f32, s.a()));
            cur = yi;
            next = xi;
        }
        long o = cur;
        run("mu_apply", f32, (long) s.rows() * s.cols(), a -> {
            a.pointer(s.values()).pointer(o).i64(s.rows()).i64(s.cols());
            real(real(real(a, f32, s.decay()), f32, s.lr()), f32, s.threshold()).i32(flags);
        });
    }

    @Override public void close() {
        try {
            for (long p : buffers) cu.free(p);
            for (long p : scratch) if (p != 0) cu.free(p);
        } finally {
            buffers.clear();
            cu.free(partials);
            cu.free(sums);
        }
    }
}
