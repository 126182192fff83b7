package io.ndopt.optim.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits an index range over the machine's cores for the element-wise kernels.
 *
 * <p>The calling thread works too, next to {@code cores − 1} pool threads, so a step never has more
 * runnable threads than cores (a caller waiting on a full-size pool leaves one core shared by two threads,
 * and the last chunk runs alone). The range is cut into more chunks than threads and each thread takes the
 * next free chunk, so a core slowed by another process does not hold the whole step back.
 */
final class Parallel {
    /** Below this many elements a kernel runs on the calling thread: forking costs more than it saves. */
    static final int MIN_PARALLEL = 1 << 16;
    private static final int THREADS = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 16));
    /** Chunks per thread: enough to even out a slowed core, few enough that each is long (≥ 8K elements). */
    private static final int CHUNKS_PER_THREAD = 4;
    private static final ForkJoinPool HELPERS = THREADS == 1 ? null : new ForkJoinPool(THREADS - 1, pool -> {
        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("ndopt-kernel-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }, null, false);

    interface RangeBody { void run(int from, int to); }

    interface RangeSum { double sum(int from, int to); }

    private Parallel() {}

    /** Runs {@code body} over {@code [0, n)} in chunks whose boundaries are multiples of {@code align}. */
    static void forRange(int n, int align, RangeBody body) {
        sum(n, align, (from, to) -> {
            body.run(from, to);
            return 0;
        });
    }

    /**
     * Sums {@code body} over chunks of {@code [0, n)}. The chunks are fixed by {@code n} and their sums are
     * added in chunk order, whichever thread ran them, so the result is deterministic.
     */
    static double sum(int n, int align, RangeSum body) {
        if (n < MIN_PARALLEL || THREADS == 1) return body.sum(0, n);
        int chunk = (n + THREADS * CHUNKS_PER_THREAD - 1) / (THREADS * CHUNKS_PER_THREAD);
        chunk = (chunk + align - 1) / align * align;
        int size = chunk, chunks = (n + chunk - 1) / chunk;
        double[] parts = new double[chunks];
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                parts[c] = body.sum(c * size, (int) Math.min(n, (long) (c + 1) * size));
            }
        };
        List<ForkJoinTask<?>> helpers = new ArrayList<>(THREADS - 1);
        for (int k = 1; k < THREADS; k++) helpers.add(HELPERS.submit(work));
        try {
            work.run();
        } finally {
            next.set(chunks);                            // on a failure here, the helpers take no new chunk
            for (ForkJoinTask<?> h : helpers) h.join();  // and the buffers stay in use only until they finish
        }
        double total = 0;
        for (double part : parts) total += part;
        return total;
    }
}
