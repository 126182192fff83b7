package io.ndopt.internal.kernel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits an index range over the machine's cores for the element-wise kernels.
 *
 * <p>The calling thread works too, next to {@code cores − 1} helper threads, so a step never has more
 * runnable threads than cores. The range is cut into more chunks than threads and each thread takes the
 * next free chunk, so a core slowed by another process does not hold the whole step back. A helper polls
 * for the next job for {@link #SPIN_NANOS} after a job has finished (not after its own last chunk: the
 * caller may still be running one) before it parks: a step runs two kernels back to back (Σg², then the
 * update), and a parked helper joined the next kernel 0.1 ms late here, which cost a 10^7-element Σg² pass
 * half its speed (the same reason OpenMP runtimes spin before sleeping).
 *
 * <p>A range below {@link #MIN_SHARED} is still cut into the same chunks, but the calling thread runs them all.
 *
 * <p>One job runs at a time; a call made while another thread's job runs (or from inside a kernel) runs on
 * its own thread, so concurrent optimizers never wait for each other here.
 */
final class Parallel {
    /** Below this many elements a kernel runs on the calling thread: forking costs more than it saves. */
    static final int MIN_PARALLEL = 1 << 16;
    /**
     * Below this many elements the chunks run on the calling thread alone (the same chunks, summed in the same
     * order, so the result does not change). A network's optimizer step sits between BLAS products, whose worker
     * threads spin for a while after each one: two threads of ours fought them for the cores (the MLP benchmark's
     * 2.7 · 10^5-element Adam step took 0.7–0.8 ms on two threads, 0.4 on one), and the helper's polling
     * afterwards slowed the next forward pass's products by ~0.2 ms. Large steps keep their helpers (10^6
     * elements and up, the sizes the optimizer benchmarks time).
     */
    static final int MIN_SHARED = 1 << 19;
    private static final int THREADS = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 16));
    /**
     * Chunks per thread: enough that the threads finish within a short chunk of each other (with 4, a thread
     * waited up to a 0.4 ms chunk for the other at the end of a 10^7-element update here) and that a slowed
     * core does not hold the step back.
     */
    private static final int CHUNKS_PER_THREAD = 16;
    /** The shortest chunk, in elements: long enough that taking a chunk costs nothing next to running it. */
    private static final int MIN_CHUNK = 1 << 14;
    /** How long an idle helper keeps polling for the next job before it parks. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final Helper[] HELPERS = new Helper[THREADS - 1];
    private static volatile Job current;

    static {
        for (int k = 0; k < HELPERS.length; k++) {
            HELPERS[k] = new Helper();
            Thread t = new Thread(HELPERS[k], "ndopt-kernel-" + (k + 1));
            t.setDaemon(true);
            HELPERS[k].thread = t;
            t.start();
        }
    }

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
        Job job = new Job(body, n, chunkSize(n, align));
        if (n < MIN_SHARED || !BUSY.compareAndSet(false, true)) {
            job.work();                                   // small, or another job runs: this one runs here, alone
            job.awaitAll();                               // (all its chunks are done: rethrows a failure)
        } else {
            try {
                current = job;
                for (Helper h : HELPERS) if (h.parked) LockSupport.unpark(h.thread);
                job.work();
                job.awaitAll();
            } finally {
                current = null;
                BUSY.set(false);
            }
        }
        return job.total();
    }

    /**
     * The chunk length for {@code n} elements (the last chunk may be shorter): fixed by {@code n}, {@code align}
     * and the machine's core count, never by which threads are free, so a sum's rounding does not depend on them.
     */
    static int chunkSize(int n, int align) {
        int chunk = Math.max(MIN_CHUNK, (n + THREADS * CHUNKS_PER_THREAD - 1) / (THREADS * CHUNKS_PER_THREAD));
        return (chunk + align - 1) / align * align;
    }

    /** One call's chunks: taken by whichever thread asks next, each run exactly once. */
    private static final class Job {
        private final RangeSum body;
        private final int n, size, chunks;
        private final double[] parts;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile Throwable failure;

        Job(RangeSum body, int n, int size) {
            this.body = body;
            this.n = n;
            this.size = size;
            this.chunks = (n + size - 1) / size;
            this.parts = new double[chunks];
        }

        /** Takes and runs chunks until none is left; after a failure the rest are taken but not run. */
        void work() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    if (failure == null) parts[c] = body.sum(c * size, (int) Math.min(n, (long) (c + 1) * size));
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }

        /** Waits until every chunk has finished, so no helper touches the buffers after the call returns. */
        void awaitAll() {
            for (int spins = 0; !finished(); spins++) {
                if (spins < 1000) Thread.onSpinWait();
                else Thread.yield();                      // a slowed helper finishes its last chunk: give it the core
            }
            Throwable t = failure;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
        }

        /** Whether every chunk has finished. */
        boolean finished() { return done.get() >= chunks; }

        double total() {
            double total = 0;
            for (double part : parts) total += part;
            return total;
        }
    }

    /** A helper thread: runs the current job's chunks, polls a while for the next job, then parks. */
    private static final class Helper implements Runnable {
        Thread thread;
        volatile boolean parked;

        @Override public void run() {
            Job last = null;
            while (true) {
                Job job = current;
                if (job != null && job != last) {
                    last = job;
                    job.work();
                    continue;
                }
                long idleSince = System.nanoTime();
                while ((job = current) == null || job == last) {
                    if (last != null && !last.finished()) {     // another thread still runs its last chunk: the
                        Thread.onSpinWait();                    // next job follows within microseconds, and idle
                        idleSince = System.nanoTime();          // time counts from the end of this one
                    } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if ((job = current) == null || job == last) LockSupport.park(this);
                        parked = false;
                        idleSince = System.nanoTime();
                    }
                }
            }
        }
    }
}
