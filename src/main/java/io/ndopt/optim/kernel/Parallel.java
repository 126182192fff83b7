package io.ndopt.optim.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/** Splits an index range over the machine's cores for the element-wise kernels. */
final class Parallel {
    /** Below this many elements a kernel runs on the calling thread: forking costs more than it saves. */
    static final int MIN_PARALLEL = 1 << 16;
    private static final int THREADS = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 16));
    /**
     * Chunks per call: more than the cores, so a core slowed by another process does not hold the
     * whole step back (work stealing evens the load).
     */
    private static final int CHUNKS = 2 * THREADS;
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS, pool -> {
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

    /** Sums {@code body} over chunks of {@code [0, n)}; chunks are fixed by n, so the result is deterministic. */
    static double sum(int n, int align, RangeSum body) {
        if (n < MIN_PARALLEL || THREADS == 1) return body.sum(0, n);
        int chunk = (n + CHUNKS - 1) / CHUNKS;
        chunk = (chunk + align - 1) / align * align;
        List<ForkJoinTask<Double>> tasks = new ArrayList<>(CHUNKS);
        for (int from = chunk; from < n; from += chunk) {
            int f = from, to = Math.min(n, from + chunk);
            tasks.add(POOL.submit(() -> body.sum(f, to)));
        }
        double total = body.sum(0, Math.min(n, chunk));
        for (ForkJoinTask<Double> t : tasks) total += t.join();
        return total;
    }
}
