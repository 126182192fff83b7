package io.ndopt.internal.cuda;

import io.ndopt.internal.device.DeviceSegment;
import io.ndopt.internal.device.DeviceStore;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.kernel.KernelScalars;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link DeviceUpdater} on one CUDA device: one device buffer per host flat buffer (values, grads,
 * each state slot), all work queued on one stream. Each public call makes the device's primary
 * context current on the calling thread first.
 */
final class CudaUpdater implements DeviceUpdater {
    /** Blocks of the sum-of-squares pass: fixed (not device-dependent), so sums are equal bitwise on every GPU. */
    static final int REDUCE_BLOCKS = 1024;

    private record Store(DeviceStore host, int width, long values, long grads, long[] state) {
        long bytes() { return host.length() * width; }
    }

    private final Driver cu;
    private final KernelModule k;
    private final MemorySegment stream;
    private final List<Store> stores = new ArrayList<>();
    private final List<DeviceSegment> segments;
    private final long partials, sums;
    private final Arena hostArena = Arena.ofShared();
    private final MemorySegment hostSums;
    private boolean closed;
    private CudaOps ops;
    private CudaFamily family;
    /** Device memory allocated by this updater (freed at {@link #close}, or when the constructor fails). */
    private final List<Long> owned = new ArrayList<>();
    /** Hands the kernel module back to the engine (the last user unloads it and releases the context). */
    private final Runnable release;
    private final DeviceProx prox;

    /**
     * Allocates and uploads the stores; {@code release} is run once at {@link #close} (or when this constructor
     * fails, after freeing what it allocated).
     */
    CudaUpdater(Driver cu, KernelModule k, List<DeviceStore> hosts, List<DeviceSegment> segments, Runnable release) {
        this.cu = cu;
        this.k = k;
        this.release = release;
        this.segments = List.copyOf(segments);
        for (DeviceSegment s : segments) {
            if (s.store() >= hosts.size() || s.to() > hosts.get(s.store()).length()) {
                release.run();
                throw new IllegalArgumentException("device segment " + s + " lies outside the "
                        + hosts.size() + " stores");
            }
        }
        MemorySegment created = null;
        long partialSums, results;
        try {
            cu.setCurrent(k.context);
            created = cu.createStream();
            for (DeviceStore h : hosts) {
                int width = h.dtype() == DataType.FLOAT ? 4 : 8;
                long bytes = Math.multiplyExact(h.length(), width);
                String what = h.dtype().name().toLowerCase();
                long[] state = new long[h.state().length];
                for (int i = 0; i < state.length; i++) state[i] = alloc(bytes, what + " optimizer state " + i);
                stores.add(new Store(h, width, alloc(bytes, what + " values"), alloc(bytes, what + " gradients"),
                        state));
            }
            partialSums = alloc(8L * REDUCE_BLOCKS, "reduction partial sums");
            results = alloc(8L * Math.max(1, hosts.size()), "reduction results");
        } catch (RuntimeException e) {
            MemorySegment s = created;
            Closer c = new Closer();
            c.run(() -> { throw e; });
            for (long p : owned) c.run(() -> cu.free(p));
            if (s != null) c.run(() -> cu.destroyStream(s));
            c.run(hostArena::close);
            c.run(release::run);
            c.rethrow();
            throw e;
        }
        this.stream = created;
        this.partials = partialSums;
        this.sums = results;
        this.hostSums = hostArena.allocate(ValueLayout.JAVA_DOUBLE, Math.max(1, hosts.size()));
        this.prox = new DeviceProx(cu, k);
        try {
            pushValues();
            pushState();
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException later) {
                if (later != e) e.addSuppressed(later);
            }
            throw e;
        }
    }

    private long alloc(long bytes, String what) {
        long p = cu.alloc(bytes, what);
        owned.add(p);
        return p;
    }

    private void enter() {
        if (closed) throw new IllegalStateException("device updater on " + deviceName() + " is closed");
        cu.setCurrent(k.context);
    }

    private static long address(INDArray a) { return a.data().addressPointer().address(); }

    @Override public String deviceName() { return "cuda:" + k.device.ordinal() + " " + k.device.name(); }
    @Override public List<DeviceSegment> segments() { return segments; }

    @Override public void pushValues() {
        enter();
        for (Store s : stores) {
            cu.copyToDevice(s.values, address(s.host.values()), s.bytes(), stream, "parameter values");
        }
    }

    @Override public void pushState() {
        enter();
        for (Store s : stores) {
            INDArray[] st = s.host.state();
            for (int i = 0; i < st.length; i++) {
                cu.copyToDevice(s.state[i], address(st[i]), s.bytes(), stream, "optimizer state");
            }
        }
        cu.synchronize(stream, "uploading optimizer state");
    }

    @Override public void pushGrads() {
        enter();
        for (Store s : stores) cu.copyToDevice(s.grads, address(s.host.grads()), s.bytes(), stream, "gradients");
    }

    @Override public double sumSquares() {
        enter();
        for (int i = 0; i < stores.size(); i++) {
            Store s = stores.get(i);
            String name = s.width == 4 ? "sumsq_f32" : "sumsq_f64";
            int blocks = (int) Math.max(1, Math.min(REDUCE_BLOCKS,
                    (s.host.length() + KernelModule.BLOCK - 1) / KernelModule.BLOCK));
            try (Arena a = Arena.ofConfined()) {
                cu.launch(k.function(name), name, blocks, KernelModule.BLOCK, stream,
                        new LaunchArgs(a).pointer(s.grads).i64(s.host.length()).pointer(partials));
            }
            try (Arena a = Arena.ofConfined()) {
                cu.launch(k.function("sum_partials"), "sum_partials", 1, KernelModule.BLOCK, stream,
                        new LaunchArgs(a).pointer(partials).i32(blocks).pointer(sums + 8L * i));
            }
        }
        cu.copyToHost(hostSums.address(), sums, 8L * stores.size(), stream, "sums of squares");
        cu.synchronize(stream, "reducing gradients");
        double total = 0;
        for (int i = 0; i < stores.size(); i++) total += hostSums.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        return total;
    }

    @Override public void launch(DeviceSegment seg, KernelScalars scalars) {
        enter();
        Store s = stores.get(seg.store());
        long off = seg.from() * s.width;
        long[] state = new long[s.state.length];
        for (int i = 0; i < state.length; i++) state[i] = s.state[i] + off;
        launchRule(cu, k, stream, s.width, s.values + off, s.grads + off, state, seg.length(), scalars);
    }

    /** Queues an element-wise rule's kernel over {@code length} elements, {@code state} indexed by slot. */
    static void launchRule(Driver cu, KernelModule k, MemorySegment stream, int width, long values, long grads,
                           long[] state, long length, KernelScalars scalars) {
        boolean f32 = width == 4;
        int needed = scalars.family().stateSlots(scalars.flags());
        if (state.length < needed) {
            throw new IllegalArgumentException(scalars.family() + " with flags " + scalars.flags() + " needs " + needed
                    + " state buffers, got " + state.length);
        }
        String name = scalars.family().entryPoint(f32);
        try (Arena a = Arena.ofConfined()) {
            LaunchArgs args = new LaunchArgs(a).pointer(values).pointer(grads);
            for (int slot : scalars.family().kernelSlots(scalars.flags())) args.pointer(slot >= 0 ? state[slot] : 0);
            args.i64(length);
            if (f32) for (float x : scalars.floatValues()) args.f32(x);
            else for (double x : scalars.values()) args.f64(x);
            args.i32(scalars.flags());
            long packs = (length + (16 / width) - 1) / (16 / width);
            cu.launch(k.function(name), name, k.grid(name, packs), KernelModule.BLOCK, stream, args);
        }
    }

    @Override public void pullValues() {
        enter();
        for (Store s : stores) cu.copyToHost(address(s.host.values()), s.values, s.bytes(), stream, "parameter values");
        cu.synchronize(stream, "downloading values");
    }

    @Override public void pullGrads() {
        enter();
        for (Store s : stores) cu.copyToHost(address(s.host.grads()), s.grads, s.bytes(), stream, "gradients");
        cu.synchronize(stream, "downloading gradients");
    }

    @Override public long constant(INDArray data, String what) {
        enter();
        if (data.dataType() != DataType.FLOAT && data.dataType() != DataType.DOUBLE
                && data.dataType() != DataType.LONG) {
            throw new IllegalArgumentException("device constant " + what + ": dtype " + data.dataType()
                    + " (FLOAT, DOUBLE or LONG)");
        }
        INDArray dense = data.dup('c');
        long bytes = Math.multiplyExact(dense.length(), (long) dense.dataType().width());
        long p = alloc(Math.max(bytes, 1), what);
        cu.copyToDevice(p, address(dense), bytes, stream, what);
        cu.synchronize(stream, "uploading " + what);
        java.lang.ref.Reference.reachabilityFence(dense);
        return p;
    }

    @Override public void proxL1Factors(int store, long from, long length, long factors, double threshold) {
        enter();
        Store s = stores.get(store);
        checkRange(s, from, length, "L1 factors");
        prox.l1Factors(stream, s.width, s.values, from, length, factors, threshold);
    }

    @Override public void groupShrink(int store, long base, int groups, long groupStride, long size, long elemStride,
                                      long coefs, double threshold) {
        enter();
        Store s = stores.get(store);
        if (groups > 0 && size > 0) {
            checkRange(s, base, (groups - 1L) * groupStride + (size - 1) * elemStride + 1, "group lasso");
        }
        prox.groupStrided(stream, s.width, s.values, base, groups, groupStride, size, elemStride, coefs, threshold);
    }

    @Override public void groupShrinkIndexed(int store, long members, long starts, int groups, long coefs,
                                             double threshold) {
        enter();
        Store s = stores.get(store);
        prox.groupIndexed(stream, s.width, s.values, members, starts, groups, coefs, threshold);
    }

    private static void checkRange(Store s, long from, long length, String what) {
        if (from < 0 || length < 0 || from + length > s.host.length()) {
            throw new IllegalArgumentException(what + ": elements [" + from + ", " + (from + length)
                    + ") lie outside the store of " + s.host.length());
        }
    }

    @Override public long valuesAddress(int store) { return stores.get(store).values; }

    @Override public long gradsAddress(int store) { return stores.get(store).grads; }

    /** Created at the first call (which loads cuBLAS), then the same object until {@link #close}. */
    @Override public synchronized DeviceOps ops() {
        enter();
        if (ops == null) ops = new CudaOps(cu, k, stream, this::enter);
        return ops;
    }

    /** Created at the first call (the Muon step loads cuBLAS through {@link #ops} when it first needs it). */
    @Override public synchronized io.ndopt.internal.device.DeviceFamily family() {
        enter();
        if (family == null) family = new CudaFamily(cu, k, stream, this::enter, this::ops);
        return family;
    }

    @Override public void pullState() {
        enter();
        for (Store s : stores) {
            INDArray[] st = s.host.state();
            for (int i = 0; i < st.length; i++) {
                cu.copyToHost(address(st[i]), s.state[i], s.bytes(), stream, "optimizer state");
            }
        }
        cu.synchronize(stream, "downloading state");
    }

    @Override public void synchronize() {
        enter();
        cu.synchronize(stream, "waiting for the step");
    }

    @Override public double[] time(Runnable body, int warmup, int reps) {
        enter();
        MemorySegment start = cu.createEvent(), end = cu.createEvent();
        try {
            for (int i = 0; i < warmup; i++) body.run();
            double[] ms = new double[reps];
            for (int i = 0; i < reps; i++) {
                cu.record(start, stream);
                body.run();
                cu.record(end, stream);
                ms[i] = cu.elapsedMs(start, end);
            }
            return ms;
        } finally {
            cu.destroyEvent(start);
            cu.destroyEvent(end);
        }
    }

    @Override public double[] timeCopy(long bytes, int warmup, int reps) {
        enter();
        long src = cu.alloc(bytes, "copy benchmark source"), dst = cu.alloc(bytes, "copy benchmark target");
        try {
            cu.zero(src, bytes, stream);
            return time(() -> cu.copyOnDevice(dst, src, bytes, stream), warmup, reps);
        } finally {
            cu.synchronize(stream, "finishing the copy benchmark");
            cu.free(src);
            cu.free(dst);
        }
    }

    /**
     * Releases everything this updater holds, each even when an earlier release fails: a capture under way, the
     * network ops (graphs, their allocations, the cuBLAS handle and workspace), the device buffers, the stream,
     * and the kernel module and primary context (the engine's, released by the last updater). The first failure
     * is thrown with the later ones suppressed; the updater is closed either way.
     */
    @Override public void close() {
        if (closed) return;
        closed = true;
        Closer c = new Closer();
        c.run(() -> cu.setCurrent(k.context));
        if (ops != null) c.run(ops::abandonCapture);              // a capture left open would refuse the wait
        c.run(() -> cu.synchronize(stream, "closing the device updater"));
        if (family != null) c.run(family::close);
        if (ops != null) c.run(ops::close);
        for (long p : owned) c.run(() -> cu.free(p));
        owned.clear();
        c.run(() -> cu.destroyStream(stream));
        c.run(hostArena::close);
        c.run(release::run);
        c.rethrow();
    }
}
