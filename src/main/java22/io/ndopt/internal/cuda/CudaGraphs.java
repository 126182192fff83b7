package io.ndopt.internal.cuda;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Stream capture into CUDA graphs for one {@link CudaOps}' stream: at most one capture at a time, in
 * thread-local mode, begun and ended on the same thread; the captured {@code CUgraph} is instantiated and
 * destroyed at once, only the executable graph is kept (its address is the handle the caller sees) until
 * {@link #destroy} or {@link #close}. A capture that fails for any reason is ended and its graph discarded
 * ({@link #abandon}), so the stream runs work again.
 */
final class CudaGraphs {
    private final Driver cu;
    private final MemorySegment stream;
    private final Set<Long> execs = new LinkedHashSet<>();
    private Thread capturer;

    CudaGraphs(Driver cu, MemorySegment stream) {
        this.cu = cu;
        this.stream = stream;
    }

    boolean capturing() { return capturer != null; }

    void begin() {
        if (capturer != null) {
            String first = capturer.getName();
            abandon();
            throw new IllegalStateException("beginCapture: a capture was already under way (begun on thread '"
                    + first + "'); it was ended and discarded");
        }
        cu.beginCapture(stream);
        capturer = Thread.currentThread();
    }

    /** Ends the capture: the executable graph's handle. */
    long end() {
        if (capturer == null) {
            throw new IllegalStateException("endCapture: no capture is under way (call beginCapture first)");
        }
        if (capturer != Thread.currentThread()) {
            throw new IllegalStateException("endCapture on thread '" + Thread.currentThread().getName()
                    + "': the capture was begun on thread '" + capturer.getName() + "' and must end there");
        }
        capturer = null;
        MemorySegment graph = cu.endCapture(stream, "ending the graph capture");
        try {
            long exec = cu.instantiate(graph).address();
            execs.add(exec);
            return exec;
        } finally {
            cu.destroyGraph(graph);
        }
    }

    /**
     * Refuses {@code op} while capturing: it cannot be recorded into a graph. The capture is abandoned first,
     * so the stream is usable after the exception.
     */
    void refuse(String op) {
        if (capturer == null) return;
        abandon();
        throw new IllegalStateException(op + " during a graph capture: it cannot be recorded into a CUDA graph (only "
                + "kernels, products and device copies can); the capture was ended and discarded. Do host transfers, "
                + "allocations and synchronization before beginCapture or after endCapture");
    }

    /** Ends a capture under way (if any) and discards what it recorded; never throws. */
    void abandon() {
        if (capturer == null) return;
        capturer = null;
        try {
            cu.destroyGraph(cu.endCapture(stream, "abandoning a failed graph capture"));
        } catch (RuntimeException ignored) {
            // an invalidated capture ends without a graph; the stream is out of capture mode either way
        }
    }

    void launch(long graph) {
        if (capturer != null) refuse("launchGraph");
        cu.launchGraph(known(graph, "launchGraph"), stream);
    }

    void destroy(long graph) {
        MemorySegment exec = known(graph, "destroyGraph");
        execs.remove(graph);
        cu.destroyGraphExec(exec);
    }

    private MemorySegment known(long graph, String op) {
        if (!execs.contains(graph)) {
            throw new IllegalArgumentException(op + ": 0x" + Long.toHexString(graph)
                    + " is not a graph of these ops (or was destroyed already)");
        }
        return MemorySegment.ofAddress(graph);
    }

    /** Abandons a capture under way and destroys every graph not destroyed. */
    void close() {
        abandon();
        Closer c = new Closer();
        for (long exec : execs) c.run(() -> cu.destroyGraphExec(MemorySegment.ofAddress(exec)));
        execs.clear();
        c.rethrow();
    }
}
