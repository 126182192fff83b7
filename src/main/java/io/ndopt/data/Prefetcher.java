package io.ndopt.data;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs an {@link EpochReader} in a daemon thread that stays at most {@value StreamingDataset#PREFETCH} batches
 * ahead (a bounded queue). The reader's exception (a {@link DataFormatException} naming shard and line, an I/O
 * error) is thrown by {@link #next}; {@link #close} stops the thread and waits for it, also mid-epoch.
 */
final class Prefetcher implements StreamingDataset.Batches {
    private record Batch(Object x, double[] y, int rows) {}

    private record Failure(RuntimeException error) {}

    private static final Object END = new Object();

    private final StreamingDataset d;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(StreamingDataset.PREFETCH);
    private final Thread thread;
    private Object head;

    Prefetcher(StreamingDataset d, EpochReader reader) {
        this.d = d;
        thread = new Thread(() -> {
            try {
                reader.run((x, y, rows) -> queue.put(new Batch(x, y, rows)));
                queue.put(END);
            } catch (InterruptedException stop) {
                // closed
            } catch (RuntimeException | Error e) {
                RuntimeException r = e instanceof RuntimeException re ? re
                        : e instanceof OutOfMemoryError ? new IllegalStateException(d.name + ": out of memory while "
                                + "reading ahead (a shuffle window holds " + d.shuffleBuffer + " rows: lower the "
                                + "shuffle buffer or give the JVM more heap)", e)
                        : new IllegalStateException(d.name + ": reading failed: " + e, e);
                try {
                    queue.put(new Failure(r));
                } catch (InterruptedException stop) {
                    // closed
                }
            }
        }, "ndopt-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    @Override public boolean hasNext() {
        if (head == null) {
            try {
                head = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for data", e);
            }
        }
        if (head instanceof Failure f) throw f.error();
        return head != END;
    }

    @Override public Dataset next() {
        if (!hasNext()) throw new NoSuchElementException();
        Batch b = (Batch) head;
        head = null;
        return d.batch(b.x(), b.y(), b.rows());
    }

    @Override public void close() {
        thread.interrupt();
        queue.clear();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
