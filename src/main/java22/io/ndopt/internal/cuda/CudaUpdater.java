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

    CudaUpdater(Driver cu, KernelModule k, List<DeviceStore> hosts, List<DeviceSegment> segments) {
        this.cu = cu;
        this.k = k;
        this.segments = List.copyOf(segments);
        for (DeviceSegment s : segments) {
            if (s.store() >= hosts.size() || s.to() > hosts.get(s.store()).length()) {
                throw new IllegalArgumentException("device segment " + s + " lies outside the "
                        + hosts.size() + " stores");
            }
        }
        cu.setCurrent(k.context);
        this.stream = cu.createStream();
        for (DeviceStore h : hosts) {
            int width = h.dtype() == DataType.FLOAT ? 4 : 8;
            long bytes = h.length() * width;
            String what = h.dtype().name().toLowerCase();
            long[] state = new long[h.state().length];
            for (int i = 0; i < state.length; i++) state[i] = cu.alloc(bytes, what + " optimizer state " + i);
            stores.add(new Store(h, width, cu.alloc(bytes, what + " values"),
                    cu.alloc(bytes, what + " gradients"), state));
        }
        this.partials = cu.alloc(8L * REDUCE_BLOCKS, "reduction partial sums");
        this.sums = cu.alloc(8L * Math.max(1, hosts.size()), "reduction results");
        this.hostSums = hostArena.allocate(ValueLayout.JAVA_DOUBLE, Math.max(1, hosts.size()));
        pushValues();
        pushState();
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

    @Override public void close() {
        if (closed) return;
        cu.setCurrent(k.context);
        try {
            if (ops != null) ops.abandonCapture();               // a capture left open would refuse the wait
            cu.synchronize(stream, "closing the device updater");
        } finally {
            closed = true;
            try {
                try {
                    if (family != null) family.close();
                } finally {
                    if (ops != null) ops.close();
                }
            } finally {
                for (Store s : stores) {
                    cu.free(s.values);
                    cu.free(s.grads);
                    for (long p : s.state) cu.free(p);
                }
                cu.free(partials);
                cu.free(sums);
                cu.destroyStream(stream);
                hostArena.close();
            }
        }
    }
}
