package io.ndopt.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A table too large for memory, trained on in batches read shard by shard: a folder or glob of shards (CSV,
 * {@code .npy}, Parquet; see {@link DataFiles}) or one file. Only the validation rows, one shuffle window and a
 * few prefetched batches are ever in memory.
 *
 * <p><b>Opening</b> reads the data once ({@code .npy} and Parquet shards: the row counts come from their
 * headers) or twice (CSV shards: a first pass counts the rows): it checks every value (finite, inside float32 for a
 * float32 run; class labels 0..K−1 with every class present; errors name the shard and its line or row), computes
 * the standardization statistics of the training rows in float64 ({@link ColumnMoments}: Welford per shard,
 * Chan's merge across shards; population std, a constant column gets std 1, as {@link Standardizer}), a SHA-256 of
 * the values, and keeps the validation rows.
 *
 * <p><b>Rows.</b> Row g (0-based) is the g-th data row of the shards in name order. The <b>validation rows</b> are
 * those of an in-memory {@link Dataset#split(double, long)} of the same table: the first
 * {@code max(1, round(N·valSplit))} entries of {@link Dataset#permutation}{@code (N, seed)}, kept in memory in that
 * order; every other row is a training row. (The permutation needs 4N bytes of heap while the data is opened.)
 *
 * <p><b>Order of an epoch.</b> Let {@code W = min(shuffleBuffer, T)} for T training rows.
 * <ol>
 *   <li>The shards are visited in the order {@code Dataset.permutation(S, seed·1000003 + e + 0x5DEECE66D)} for
 *       epoch e (name order when {@code W = T}); their training rows, in file order, form the epoch's stream.</li>
 *   <li>The stream is cut into windows of W rows (the last may be shorter). Window k's rows are sorted by their
 *       key — the row number g, or, when {@code W = T} (<b>full permutation</b>), the row's position in the
 *       in-memory training set — and taken in the order
 *       {@code Dataset.permutation(size, seed·1000003 + e + k·0x9E3779B97F4A7C15)}.</li>
 *   <li>Batch b is rows {@code [b·batch, (b+1)·batch)} of that order (the last batch may be smaller).</li>
 * </ol>
 * With {@code shuffleBuffer ≥ T} the order is therefore exactly the in-memory {@link io.ndopt.train.Trainer}'s
 * ({@code Dataset.permutation(T, seed·1000003 + e)} of the split's training rows), and a streamed run equals an
 * in-memory run bit for bit when both standardize with the same statistics ({@link #standardizer()}). With a
 * smaller buffer, rows mix only within a window: use a buffer of several shards' rows.
 *
 * <p><b>Position.</b> The order is a pure function of (seed, epoch), so the next batch's number is the whole
 * position: {@link #batches(int, int, int)} restarts there by re-reading the window that holds it (from the start of
 * the shard where the window begins) and skipping its rows already trained on. {@link #position} spells the
 * position out (shard, row, window, window seed) for checkpoints.
 *
 * <p>Up to 2^31 − 1 rows.
 */
public final class StreamingDataset {
    /** The default shuffle buffer: 65 536 rows. */
    public static final int DEFAULT_SHUFFLE_BUFFER = 1 << 16;
    /** Batches read ahead by the prefetch thread. */
    static final int PREFETCH = 4;

    final String name;
    final List<Path> shards;
    final List<String> columns;
    final int target;
    final int features;
    final DataType dtype;
    final int classes;
    final long seed;
    final int shuffleBuffer;
    final long[] shardRows;
    final long[] shardTrain;
    final BitSet validation;           // row g is a validation row; null without a split
    final int[] fullKey;               // full permutation: the key of the m-th training row in file order
    final long trainRows;
    private final Standardizer standardizer;
    private final Dataset validationSet;
    private final String sha256;
    private final boolean oneHot;

    private StreamingDataset(StreamingDataset o, boolean oneHot) {
        name = o.name;
        shards = o.shards;
        columns = o.columns;
        target = o.target;
        features = o.features;
        dtype = o.dtype;
        classes = o.classes;
        seed = o.seed;
        shuffleBuffer = o.shuffleBuffer;
        shardRows = o.shardRows;
        shardTrain = o.shardTrain;
        validation = o.validation;
        fullKey = o.fullKey;
        trainRows = o.trainRows;
        standardizer = o.standardizer;
        validationSet = oneHot && o.validationSet != null ? o.validationSet.oneHot() : o.validationSet;
        sha256 = o.sha256;
        this.oneHot = oneHot;
    }

    StreamingDataset(StreamScan scan, boolean classification, long seed, int shuffleBuffer) {
        this.name = scan.name;
        this.shards = scan.shards;
        this.columns = scan.columns;
        this.target = scan.target;
        this.features = columns.size() - 1;
        this.dtype = scan.dtype;
        this.classes = classification ? scan.classes : 0;
        this.seed = seed;
        this.shuffleBuffer = shuffleBuffer;
        this.shardRows = scan.shardRows;
        this.shardTrain = scan.shardTrain;
        this.validation = scan.validation;
        this.trainRows = scan.trainRows;
        this.fullKey = shuffleBuffer >= trainRows ? scan.trainKeys : null;
        this.standardizer = scan.standardizer();
        this.validationSet = scan.validationSet(classes, standardizer);
        this.sha256 = scan.sha256;
        this.oneHot = false;
    }

    /**
     * Opens {@code data} (a folder, a glob in its last element, or one file) for streaming and reads it once
     * (CSV shards twice) as the class doc says.
     *
     * @param target the target column, or null for the last
     * @param classification the target holds class labels 0..K−1
     * @param valSplit the validation fraction in [0, 1)
     * @param shuffleBuffer rows per shuffle window, {@code >= 1}; at least the training rows gives the full permutation
     * @throws DataFormatException naming the shard, and its line or row, of a bad value or columns; or an empty set
     */
    public static StreamingDataset open(Path data, String target, boolean classification, DataType dtype,
            double valSplit, long seed, int shuffleBuffer) {
        if (!(valSplit >= 0 && valSplit < 1)) throw new IllegalArgumentException("valSplit must be in [0, 1), got " + valSplit);
        if (shuffleBuffer < 1) throw new IllegalArgumentException("shuffle buffer must be >= 1 row, got " + shuffleBuffer);
        StreamScan scan = StreamScan.run(data, target, classification, dtype, valSplit, seed, shuffleBuffer);
        return new StreamingDataset(scan, classification, seed, shuffleBuffer);
    }

    /**
     * The same stream with one-hot targets ({@code classes} columns), as a softmax over one logit per class needs;
     * this stream when it has them already.
     */
    public StreamingDataset oneHot() {
        if (classes < 2) throw new IllegalArgumentException("one-hot targets need a classification dataset");
        return oneHot || classes > 2 ? this : new StreamingDataset(this, true);
    }

    /** Training rows (every row that is not a validation row). */
    public long trainRows() { return trainRows; }
    public int features() { return features; }
    /** Target columns of a batch: 1 for regression and two classes (0/1), else one per class. */
    public int outputs() { return classes > 2 || oneHot ? classes : 1; }
    /** Number of classes, or 0 for regression. */
    public int classes() { return classes; }
    public DataType dtype() { return dtype; }
    public List<Path> shards() { return shards; }
    public int shuffleBuffer() { return shuffleBuffer; }
    /** True when the shuffle buffer holds every training row: the epoch order is the in-memory one. */
    public boolean fullPermutation() { return fullKey != null; }
    /** The statistics of the training rows, applied to every batch and to the validation rows. */
    public Standardizer standardizer() { return standardizer; }
    /** The validation rows, standardized, in the in-memory split's order; null without a split. */
    public Dataset validation() { return validationSet; }
    /** SHA-256 of every value of the table in row order (as float64 bytes): a resumed run must see the same data. */
    public String sha256() { return sha256; }

    /** Batches of an epoch, a view over a reading thread; close it to stop the thread. */
    public interface Batches extends java.util.Iterator<Dataset>, AutoCloseable {
        @Override void close();
    }

    /**
     * The batches of epoch {@code epoch} from batch {@code fromBatch} on, in the order the class doc defines,
     * standardized, read ahead by a prefetch thread ({@value #PREFETCH} batches). A read error reaches
     * {@code next()} as the exception the reader threw (naming shard and line).
     */
    public Batches batches(int epoch, int fromBatch, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        return new Prefetcher(this, new EpochReader(this, epoch, (long) fromBatch * batchSize, batchSize, true));
    }

    /** Every training row once, in file order (no shuffle), in batches of {@code batchSize}: for evaluation. */
    public Batches inOrder(int batchSize) {
        return new Prefetcher(this, new EpochReader(this, 0, 0, batchSize, false));
    }

    /** Batches per epoch. */
    public int batchesPerEpoch(int batchSize) {
        return (int) Math.min(Integer.MAX_VALUE, (trainRows + batchSize - 1) / batchSize);
    }

    /**
     * Where batch {@code batch} of epoch {@code epoch} starts, for a checkpoint's manifest: the shard order of
     * the epoch, the window holding the batch's first row, its seed, the shard and row where that window begins,
     * and how many of its rows come before the batch. A resume rebuilds the window from these (re-reading it) and
     * checks that they match the data it reads.
     */
    public Map<String, Object> position(int epoch, int batch, int batchSize) {
        EpochReader.Plan plan = new EpochReader.Plan(this, epoch, Math.min(trainRows, (long) batch * batchSize));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", fullPermutation() ? "full-permutation" : "shard-order+window");
        m.put("epoch", epoch);
        m.put("batch", batch);
        m.put("batch_size", batchSize);
        m.put("shuffle_buffer", shuffleBuffer);
        m.put("train_rows", trainRows);
        m.put("shard_order", Arrays.stream(plan.order).mapToObj(i -> shards.get(i).getFileName().toString()).toList());
        m.put("window", plan.window);
        m.put("window_seed", plan.windowSeed(plan.window));
        m.put("shard", shards.get(plan.order[plan.startShard]).getFileName().toString());
        m.put("shard_train_row", plan.skipInShard);
        m.put("window_offset", plan.skipInWindow);
        return m;
    }

    /** The targets of a batch as the model sees them, from labels or values {@code y}. */
    INDArray targets(double[] y, int rows) {
        if (classes == 0 || classes == 2 && !oneHot) {
            return Nd4j.create(Arrays.copyOf(y, rows), new long[] {rows, 1}, 'c').castTo(dtype);
        }
        INDArray oh = Nd4j.zeros(dtype, rows, classes);
        for (int i = 0; i < rows; i++) oh.putScalar(i, (int) y[i], 1.0);
        return oh;
    }

    /**
     * A batch of raw feature values ({@code float[]} or {@code double[]}, row-major) as a standardized Dataset:
     * {@code (x − mean) / std} in the dtype's arithmetic, one rounding per operation, as {@link Standardizer#apply}.
     */
    Dataset batch(Object x, double[] y, int rows) {
        int p = features;
        INDArray xs;
        if (x instanceof float[] f) {
            float[] mean = standardizer.mean().toFloatVector(), std = standardizer.std().toFloatVector();
            float[] z = new float[rows * p];
            for (int i = 0; i < rows * p; i++) z[i] = (f[i] - mean[i % p]) / std[i % p];
            xs = Nd4j.create(z, new long[] {rows, p}, 'c');
        } else {
            double[] d = (double[]) x, mean = standardizer.mean().toDoubleVector(), std = standardizer.std().toDoubleVector();
            double[] z = new double[rows * p];
            for (int i = 0; i < rows * p; i++) z[i] = (d[i] - mean[i % p]) / std[i % p];
            xs = Nd4j.create(z, new long[] {rows, p}, 'c');
        }
        return new Dataset(xs, targets(y, rows), classes);
    }

    static String hex(MessageDigest md) { return HexFormat.of().formatHex(md.digest()); }

    static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void digest(MessageDigest md, ByteBuffer scratch, double[] v, int from, int n) {
        scratch.clear();
        for (int i = 0; i < n; i++) scratch.putDouble(v[from + i]);
        md.update(scratch.array(), 0, n * 8);
    }
}
