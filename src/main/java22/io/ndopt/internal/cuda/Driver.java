package io.ndopt.internal.cuda;

import io.ndopt.device.GpuInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Typed calls into the CUDA driver API ({@link Cu}): each checks the returned {@code CUresult} and
 * throws a {@link CudaException} naming the call, the error and what ndopt was doing. Handles
 * (contexts, streams, modules, functions, events) are opaque {@link MemorySegment} addresses,
 * device pointers are {@code long}s.
 */
final class Driver {
    /** Where the driver library is looked for, in order. */
    static final List<String> LIBRARIES = List.of("libcuda.so.1", "libcuda.so",
            "/usr/lib/x86_64-linux-gnu/libcuda.so.1",
            "/usr/lib64/libcuda.so.1", "/usr/lib/aarch64-linux-gnu/libcuda.so.1", "/usr/lib/wsl/lib/libcuda.so.1");

    private final NativeLib<Cu> lib;

    private Driver(NativeLib<Cu> lib) { this.lib = lib; }

    /**
     * {@code -Dndopt.cuda.driver=PATH[:PATH...]} names the library (the first that loads) to use instead of the search (a non-standard install,
     * or a test double).
     */
    static Driver load() throws NativeLib.Missing {
        List<String> named = NativeLib.named("ndopt.cuda.driver");
        return new Driver(NativeLib.load(Cu.class, named != null ? named : LIBRARIES));
    }

    String libraryPath() { return lib.path(); }

    void check(int rc, Cu fn, String context) {
        if (rc != 0) {
            throw new CudaException(fn.symbol(), rc, errorText(Cu.GET_ERROR_NAME, rc),
                    errorText(Cu.GET_ERROR_STRING, rc), context);
        }
    }

    private String errorText(Cu fn, int rc) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            if (lib.status(fn, rc, out) != 0) return null;
            MemorySegment p = out.get(ValueLayout.ADDRESS, 0);
            return p.equals(MemorySegment.NULL) ? null : p.reinterpret(4096).getString(0);
        }
    }

    private void call(Cu fn, String context, Object... args) { check(lib.status(fn, args), fn, context); }

    private int intOut(Cu fn, String context, Object... rest) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);       // room for size_t too
            Object[] args = prepend(out, rest);
            call(fn, context, args);
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    private MemorySegment handleOut(Cu fn, String context, Object... rest) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            call(fn, context, prepend(out, rest));
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    void init() { call(Cu.INIT, "initializing the driver", 0); }
    int driverVersion() { return intOut(Cu.DRIVER_GET_VERSION, "reading the driver version"); }
    int deviceCount() { return intOut(Cu.DEVICE_GET_COUNT, "counting devices"); }

    int device(int ordinal) { return intOut(Cu.DEVICE_GET, "opening device " + ordinal, ordinal); }

    GpuInfo info(int ordinal) {
        int dev = device(ordinal);
        String name;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            call(Cu.DEVICE_GET_NAME, "reading the name of device " + ordinal, buf, 256, dev);
            name = buf.getString(0, StandardCharsets.UTF_8);
        }
        long bytes;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            call(Cu.DEVICE_TOTAL_MEM, "reading the memory size of device " + ordinal, out, dev);
            bytes = out.get(ValueLayout.JAVA_LONG, 0);
        }
        return new GpuInfo(ordinal, name, attribute(Cu.ATTR_CC_MAJOR, dev), attribute(Cu.ATTR_CC_MINOR, dev), bytes,
                attribute(Cu.ATTR_MULTIPROCESSOR_COUNT, dev), driverVersion());
    }

    private int attribute(int attribute, int dev) {
        return intOut(Cu.DEVICE_GET_ATTRIBUTE, "reading attribute " + attribute + " of device " + dev, attribute, dev);
    }

    MemorySegment retainPrimaryContext(int ordinal) {
        return handleOut(Cu.PRIMARY_CTX_RETAIN, "retaining the primary context of device " + ordinal, device(ordinal));
    }

    void releasePrimaryContext(int ordinal) {
        call(Cu.PRIMARY_CTX_RELEASE, "releasing device " + ordinal, device(ordinal));
    }

    void setCurrent(MemorySegment ctx) { call(Cu.CTX_SET_CURRENT, "making the context current", ctx); }

    MemorySegment createStream() { return handleOut(Cu.STREAM_CREATE, "creating a stream", 0); }
    void synchronize(MemorySegment stream, String context) { call(Cu.STREAM_SYNCHRONIZE, context, stream); }
    void destroyStream(MemorySegment stream) { call(Cu.STREAM_DESTROY, "destroying a stream", stream); }

    MemorySegment createEvent() { return handleOut(Cu.EVENT_CREATE, "creating an event", 0); }

    void record(MemorySegment event, MemorySegment stream) {
        call(Cu.EVENT_RECORD, "recording an event", event, stream);
    }

    void destroyEvent(MemorySegment event) { call(Cu.EVENT_DESTROY, "destroying an event", event); }

    /** Milliseconds between two recorded events (waits for the second). */
    float elapsedMs(MemorySegment start, MemorySegment end) {
        call(Cu.EVENT_SYNCHRONIZE, "waiting for an event", end);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_FLOAT);
            call(Cu.EVENT_ELAPSED_TIME, "reading an event time", out, start, end);
            return out.get(ValueLayout.JAVA_FLOAT, 0);
        }
    }

    long alloc(long bytes, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            call(Cu.MEM_ALLOC, "allocating " + bytes + " bytes for " + what, out, Math.max(bytes, 1));
            return out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    void free(long pointer) { call(Cu.MEM_FREE, "freeing device memory", pointer); }

    void copyToDevice(long dst, long hostAddress, long bytes, MemorySegment stream, String what) {
        if (bytes > 0) {
            call(Cu.MEMCPY_HTOD_ASYNC, "copying " + what + " to the device", dst, MemorySegment.ofAddress(hostAddress),
                    bytes, stream);
        }
    }

    void copyToHost(long hostAddress, long src, long bytes, MemorySegment stream, String what) {
        if (bytes > 0) {
            call(Cu.MEMCPY_DTOH_ASYNC, "copying " + what + " to the host", MemorySegment.ofAddress(hostAddress), src,
                    bytes, stream);
        }
    }

    void copyOnDevice(long dst, long src, long bytes, MemorySegment stream) {
        call(Cu.MEMCPY_DTOD_ASYNC, "copying on the device", dst, src, bytes, stream);
    }

    void zero(long dst, long bytes, MemorySegment stream) {
        call(Cu.MEMSET_D8_ASYNC, "zeroing device memory", dst, (byte) 0, bytes, stream);
    }

    /** Loads a cubin or a (NUL-terminated) PTX image. */
    MemorySegment loadModule(byte[] image) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment img = a.allocate(image.length + 1L, 16);
            MemorySegment.copy(image, 0, img, ValueLayout.JAVA_BYTE, 0, image.length);
            return handleOut(Cu.MODULE_LOAD_DATA, "loading the kernel module (" + image.length + " bytes)", img);
        }
    }

    MemorySegment function(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            return handleOut(Cu.MODULE_GET_FUNCTION, "finding kernel " + name, module, a.allocateFrom(name));
        }
    }

    void unload(MemorySegment module) { call(Cu.MODULE_UNLOAD, "unloading the kernel module", module); }

    int maxActiveBlocks(MemorySegment function, int blockSize, String name) {
        return intOut(Cu.OCCUPANCY_MAX_BLOCKS, "sizing the grid of " + name, function, blockSize, 0L);
    }

    void launch(MemorySegment function, String name, int grid, int block, MemorySegment stream, LaunchArgs args) {
        call(Cu.LAUNCH_KERNEL, "launching " + name + " on " + grid + "x" + block + " threads", function, grid, 1, 1,
                block, 1, 1, 0,
                stream, args.pointers(), MemorySegment.NULL);
    }

    /** Starts capturing {@code stream}'s work into a graph (thread-local mode). */
    void beginCapture(MemorySegment stream) {
        call(Cu.STREAM_BEGIN_CAPTURE, "starting a graph capture", stream, Cu.CAPTURE_MODE_THREAD_LOCAL);
    }

    /** Ends the capture of {@code stream}: the captured graph (a {@code CUgraph}). */
    MemorySegment endCapture(MemorySegment stream, String context) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            call(Cu.STREAM_END_CAPTURE, context, stream, out);
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }

    /** Whether {@code stream} is capturing (a {@code CUstreamCaptureStatus} other than none). */
    boolean isCapturing(MemorySegment stream) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_INT);
            call(Cu.STREAM_IS_CAPTURING, "asking whether the stream is capturing", stream, out);
            return out.get(ValueLayout.JAVA_INT, 0) != 0;
        }
    }

    /** An executable graph ({@code CUgraphExec}) of a captured graph. */
    MemorySegment instantiate(MemorySegment graph) {
        return handleOut(Cu.GRAPH_INSTANTIATE, "instantiating the captured graph", graph, 0L);
    }

    void launchGraph(MemorySegment exec, MemorySegment stream) {
        call(Cu.GRAPH_LAUNCH, "launching a captured graph", exec, stream);
    }

    void destroyGraphExec(MemorySegment exec) { call(Cu.GRAPH_EXEC_DESTROY, "destroying an executable graph", exec); }

    void destroyGraph(MemorySegment graph) { call(Cu.GRAPH_DESTROY, "destroying a captured graph", graph); }
}
