package io.ndopt.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every element is covered once, chunk sums add in a fixed order (the same chunks whichever threads run them), a
 * failing chunk fails the call, and a call below {@link Parallel#MIN_SHARED} runs on the calling thread alone.
 */
class ParallelTest {
    /** Above {@link Parallel#MIN_SHARED}: the helper threads take chunks too. */
    private static final int N = Parallel.MIN_SHARED + 3 * Parallel.MIN_PARALLEL + 17;
    /** Between {@link Parallel#MIN_PARALLEL} and {@link Parallel#MIN_SHARED}: chunked, on the calling thread. */
    private static final int SMALL = 3 * Parallel.MIN_PARALLEL + 17;

    @Test
    void chunksCoverTheRangeOnceOnAlignedBoundaries() {
        int[] hits = new int[N];
        Parallel.forRange(N, 64, (from, to) -> {
            assertEquals(0, from % 64, "chunk start " + from);
            for (int i = from; i < to; i++) hits[i]++;
        });
        for (int i = 0; i < N; i++) assertEquals(1, hits[i], "element " + i);
    }

    @Test
    void everyLengthIsCoveredOnceWhateverTheChunkSize() {
        for (int n : new int[] {Parallel.MIN_PARALLEL, Parallel.MIN_PARALLEL + 1, 100_003, 1 << 20, 2_000_011}) {
            int[] hits = new int[n];
            double sum = Parallel.sum(n, 64, (from, to) -> {
                assertEquals(0, from % 64, "n " + n + ", chunk start " + from);
                for (int i = from; i < to; i++) hits[i]++;
                return to - from;
            });
            assertEquals(n, sum, 0.0, "n " + n);
            for (int i = 0; i < n; i++) assertEquals(1, hits[i], "n " + n + ", element " + i);
        }
    }

    @Test
    void sumIsTheSameEveryTime() {
        double first = Parallel.sum(N, 64, (from, to) -> 1.0 / (from + 1) + (to - from) * 1e-7);
        for (int k = 0; k < 20; k++) {
            assertEquals(first, Parallel.sum(N, 64, (from, to) -> 1.0 / (from + 1) + (to - from) * 1e-7), 0.0);
        }
        assertEquals(N, Parallel.sum(N, 64, (from, to) -> to - from), 0.0);
    }

    @Test
    void theChunksAndTheirOrderDependOnTheLengthAloneOnEitherSideOfTheSharedThreshold() {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core: every call is one chunk");
        for (int n : new int[] {Parallel.MIN_PARALLEL, SMALL, Parallel.MIN_SHARED - 1, Parallel.MIN_SHARED, N}) {
            Parallel.RangeSum body = (from, to) -> Math.PI / (from + 1) + Math.sqrt(to);   // rounds differently per order
            int size = Parallel.chunkSize(n, 64);
            double expected = 0;
            for (int from = 0; from < n; from += size) expected += body.sum(from, Math.min(n, from + size));
            assertTrue(size < n, "n " + n + " is cut into chunks");
            assertEquals(expected, Parallel.sum(n, 64, body), 0.0, "n " + n);
        }
    }

    @Test
    void belowTheSharedThresholdEveryChunkRunsOnTheCallingThread() {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core: every call is one chunk");
        for (int n : new int[] {SMALL, Parallel.MIN_SHARED - 1}) {
            Set<Thread> ran = ConcurrentHashMap.newKeySet();
            AtomicInteger chunks = new AtomicInteger();
            for (int k = 0; k < 20; k++) {                 // helpers that poll for work would take some of these
                Parallel.forRange(n, 64, (from, to) -> {
                    ran.add(Thread.currentThread());
                    chunks.incrementAndGet();
                });
            }
            assertEquals(Set.of(Thread.currentThread()), ran, "n " + n);
            int size = Parallel.chunkSize(n, 64);
            assertEquals(20 * ((n + size - 1) / size), chunks.get(), "n " + n);
        }
    }

    @Test
    void aFailingChunkFailsTheCall() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Parallel.sum(N, 64, (from, to) -> { if (from > 0) throw boom; return 0; }));
        assertSame(boom, thrown);
        assertEquals(N, Parallel.sum(N, 64, (from, to) -> to - from), 0.0);   // and the next call runs normally
    }

    @Test
    void aCallMadeWhileAnotherRunsRunsAloneAndStillFailsOrSums() throws Exception {
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        AtomicReference<Double> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(Parallel.sum(N, 64, (from, to) -> {
            inside.countDown();
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return to - from;
        })));
        t.start();
        try {
            assertTrue(inside.await(30, TimeUnit.SECONDS));
            assertEquals(N, Parallel.sum(N, 64, (from, to) -> to - from), 0.0);
            IllegalArgumentException boom = new IllegalArgumentException("second caller");
            assertSame(boom, assertThrows(IllegalArgumentException.class,
                    () -> Parallel.sum(N, 64, (from, to) -> { throw boom; })));
        } finally {
            release.countDown();
            t.join(30_000);
        }
        assertEquals(N, other.get(), 0.0);
    }
}
