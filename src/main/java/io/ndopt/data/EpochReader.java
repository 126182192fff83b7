package io.ndopt.data;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Produces one epoch of a {@link StreamingDataset} in the order its class doc defines, from a row offset on:
 * shards in the epoch's order, training rows into a shuffle window, each full window sorted by key and permuted,
 * rows cut into batches. Runs in the prefetch thread; {@link Sink#batch} may block.
 */
final class EpochReader {
    /** Receives batches: raw features ({@code float[]} or {@code double[]}), targets, row count. */
    interface Sink {
        void batch(Object x, double[] y, int rows) throws InterruptedException;
    }

    /** Where an epoch's stream is at row {@code row}: the shard order, window, and where the window begins. */
    static final class Plan {
        final StreamingDataset d;
        final int epoch;
        final int[] order;
        final long windowRows;
        final long window;
        final int startShard;
        final long skipInShard;
        final long skipInWindow;

        Plan(StreamingDataset d, int epoch, long row) {
            this.d = d;
            this.epoch = epoch;
            int s = d.shards.size();
            order = d.fullPermutation() || s == 1 ? identity(s)
                    : Dataset.permutation(s, d.seed * 1_000_003L + epoch + 0x5DEECE66DL);
            windowRows = Math.min(d.shuffleBuffer, d.trainRows);
            window = Math.min(row, d.trainRows - 1) / windowRows;
            skipInWindow = row - window * windowRows;
            long start = window * windowRows, before = 0;
            int i = 0;
            while (i < s - 1 && before + d.shardTrain[order[i]] <= start) before += d.shardTrain[order[i++]];
            startShard = i;
            skipInShard = start - before;
        }

        long windowSeed(long k) { return d.seed * 1_000_003L + epoch + k * 0x9E3779B97F4A7C15L; }

        private static int[] identity(int n) {
            int[] o = new int[n];
            for (int i = 0; i < n; i++) o[i] = i;
            return o;
        }
    }

    private final StreamingDataset d;
    private final Plan plan;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean f32;
    private final int p;
    // the window: raw features, targets and keys of up to windowRows rows
    private final float[] wf;
    private final double[] wd;
    private final double[] wy;
    private final int[] wkey;
    private int wn;
    private long window;
    private long skip;
    // the batch being assembled
    private Object bx;
    private double[] by;
    private int bn;

    EpochReader(StreamingDataset d, int epoch, long fromRow, int batchSize, boolean shuffle) {
        this.d = d;
        this.plan = new Plan(d, epoch, shuffle ? fromRow : 0);
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.f32 = d.dtype == DataType.FLOAT;
        this.p = d.features;
        int cap = shuffle ? (int) plan.windowRows : 0;
        wf = f32 ? new float[cap * p] : null;
        wd = f32 ? null : new double[cap * p];
        wy = new double[cap];
        wkey = new int[cap];
        window = plan.window;
        skip = plan.skipInWindow;
        newBatch();
    }

    /** Produces the batches; stops early (throwing) when the thread is interrupted. */
    void run(Sink sink) throws InterruptedException {
        if (fromRowAtEnd()) return;
        int[] order = shuffle ? plan.order : Plan.identity(d.shards.size());
        long[] firstRow = new long[d.shards.size()];       // row g of each shard's first row
        for (int i = 1; i < firstRow.length; i++) firstRow[i] = firstRow[i - 1] + d.shardRows[i - 1];
        long[] trainBefore = new long[d.shards.size()];     // training rows of the shards before, in name order
        for (int i = 1; i < trainBefore.length; i++) trainBefore[i] = trainBefore[i - 1] + d.shardTrain[i - 1];
        for (int oi = shuffle ? plan.startShard : 0; oi < order.length; oi++) {
            int s = order[oi];
            long skipTrain = shuffle && oi == plan.startShard ? plan.skipInShard : 0;
            long[] g = {firstRow[s]};
            long[] t = {0};
            TableSource src = DataFiles.openBounded(d.shards.get(s));
            int width = d.columns.size();
            try {
                src.read((v, count, lines) -> {
                    for (int r = 0; r < count; r++, g[0]++) {
                        if (d.validation != null && d.validation.get((int) g[0])) continue;
                        long inShard = t[0]++;
                        if (inShard < skipTrain) continue;
                        try {
                            add(v, r * width, (int) (trainBefore[s] + inShard), sink);
                        } catch (InterruptedException e) {
                            throw new Stopped();
                        }
                    }
                });
            } catch (Stopped e) {
                throw new InterruptedException();
            }
        }
        if (shuffle) flushWindow(sink);
        if (bn > 0) sink.batch(bx, by, bn);
    }

    private boolean fromRowAtEnd() { return shuffle && plan.window * plan.windowRows + plan.skipInWindow >= d.trainRows; }

    /** One training row: into the window, or straight into the batch without shuffle. */
    private void add(double[] v, int base, int ordinal, Sink sink) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
        if (!shuffle) {
            put(v, base, sink);
            return;
        }
        int k = wn * p;
        for (int c = 0, j = 0; c < d.columns.size(); c++) {
            if (c == d.target) continue;
            if (f32) wf[k + j++] = (float) v[base + c]; else wd[k + j++] = v[base + c];
        }
        wy[wn] = v[base + d.target];
        wkey[wn] = d.fullKey != null ? d.fullKey[ordinal] : ordinal;
        if (++wn == plan.windowRows) flushWindow(sink);
    }

    /** The window's rows sorted by key, then in the window's permutation; the rows to skip are dropped. */
    private void flushWindow(Sink sink) throws InterruptedException {
        if (wn == 0) return;
        long[] packed = new long[wn];
        for (int i = 0; i < wn; i++) packed[i] = (long) wkey[i] << 32 | i;
        Arrays.sort(packed);
        int[] perm = Dataset.permutation(wn, plan.windowSeed(window));
        for (int i = (int) skip; i < wn; i++) {
            int r = (int) packed[perm[i]];
            int k = bn * p;
            if (f32) System.arraycopy(wf, r * p, (float[]) bx, k, p); else System.arraycopy(wd, r * p, (double[]) bx, k, p);
            by[bn] = wy[r];
            if (++bn == batchSize) emit(sink);
        }
        wn = 0;
        skip = 0;
        window++;
    }

    private void put(double[] v, int base, Sink sink) throws InterruptedException {
        int k = bn * p;
        for (int c = 0, j = 0; c < d.columns.size(); c++) {
            if (c == d.target) continue;
            if (f32) ((float[]) bx)[k + j++] = (float) v[base + c]; else ((double[]) bx)[k + j++] = v[base + c];
        }
        by[bn] = v[base + d.target];
        if (++bn == batchSize) emit(sink);
    }

    private void emit(Sink sink) throws InterruptedException {
        sink.batch(bx, by, bn);
        newBatch();
    }

    private void newBatch() {
        bx = f32 ? new float[batchSize * p] : new double[batchSize * p];
        by = new double[batchSize];
        bn = 0;
    }

    /** Unwinds a shard reader when the prefetch thread is asked to stop. */
    private static final class Stopped extends RuntimeException {
        Stopped() { super(null, null, false, false); }
    }
}
