package io.ndopt.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pass over a streamed table that {@link StreamingDataset#open} makes: row counts per shard, the validation
 * rows, every value checked, the training rows' moments, the class count and a SHA-256 of the values.
 */
final class StreamScan {
    String name;
    List<Path> shards;
    List<String> columns;
    int target;
    DataType dtype;
    long[] shardRows;
    long[] shardTrain;
    BitSet validation;
    int[] trainKeys;
    long trainRows;
    int classes;
    String sha256;
    private ColumnMoments moments;
    private float[] valF;
    private double[] valD;
    private double[] valY;
    private int[] valSlot;       // the m-th validation row in file order goes to slot valSlot[m]

    static StreamScan run(Path data, String target, boolean classification, DataType dt, double valSplit, long seed,
            int shuffleBuffer) {
        StreamScan s = new StreamScan();
        s.name = data.toString();
        s.dtype = dt;
        TableSource first;
        if (ShardSource.isShardSet(data)) {
            ShardSource set = ShardSource.of(data);      // refuses an empty set and shards with other columns
            s.shards = set.shards();
            first = set;
        } else {
            s.shards = List.of(data);
            first = DataFiles.openBounded(data);
            first.close();
        }
        s.columns = first.columns();
        s.target = DataFiles.targetColumn(first, target);
        s.count();
        s.split(valSplit, seed, shuffleBuffer);
        s.scan(classification);
        return s;
    }

    /** Exact rows per shard: from the header of a binary shard, by reading a CSV shard. */
    private void count() {
        shardRows = new long[shards.size()];
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            TableSource t = DataFiles.openBounded(shards.get(i));
            if (t instanceof CsvSource) {
                long[] n = {0};
                t.read((v, count, lines) -> n[0] += count);
                shardRows[i] = n[0];
            } else {
                shardRows[i] = t.maxRows();
                t.close();
            }
            total += shardRows[i];
        }
        if (total > Integer.MAX_VALUE) {
            throw new DataFormatException(name, 0, null, total + " rows are more than a stream holds (2^31 - 1)");
        }
        if (total == 0) throw new DataFormatException(name, 0, null, "no data rows");
    }

    /** The validation rows of an in-memory split of the same table, and the training rows' keys. */
    private void split(double valSplit, long seed, int shuffleBuffer) {
        int n = (int) Arrays.stream(shardRows).sum();
        int nVal = valSplit > 0 ? Math.max(1, (int) Math.round(n * valSplit)) : 0;
        if (nVal >= n) {
            throw new DataFormatException(name, 0, null, "val_split " + valSplit + " of " + n
                    + " rows leaves no training rows");
        }
        trainRows = n - nVal;
        boolean full = shuffleBuffer >= trainRows;
        if (nVal == 0) {
            if (full) trainKeys = java.util.stream.IntStream.range(0, n).toArray();
            return;
        }
        int[] perm = Dataset.permutation(n, seed);
        validation = new BitSet(n);
        for (int i = 0; i < nVal; i++) validation.set(perm[i]);
        valSlot = slotsInFileOrder(perm, 0, nVal);
        if (full) trainKeys = slotsInFileOrder(perm, nVal, n);
        valY = new double[nVal];
        if (dtype == DataType.FLOAT) valF = new float[nVal * (columns.size() - 1)];
        else valD = new double[nVal * (columns.size() - 1)];
    }

    /** For the rows {@code perm[from..to)} taken in file order: each one's position in {@code perm[from..to)}. */
    private static int[] slotsInFileOrder(int[] perm, int from, int to) {
        long[] packed = new long[to - from];
        for (int i = from; i < to; i++) packed[i - from] = (long) perm[i] << 32 | (i - from);
        Arrays.sort(packed);
        int[] slot = new int[packed.length];
        for (int m = 0; m < packed.length; m++) slot[m] = (int) packed[m];
        return slot;
    }

    /** Reads every shard once: checks, moments per shard (merged), validation rows, labels, digest. */
    private void scan(boolean classification) {
        int width = columns.size(), p = width - 1;
        boolean f32 = dtype == DataType.FLOAT;
        moments = new ColumnMoments(p);
        shardTrain = new long[shards.size()];
        BitSet labels = new BitSet();
        MessageDigest md = StreamingDataset.sha();
        ByteBuffer scratch = ByteBuffer.allocate(8 * width);
        double[] row = new double[p];
        long[] g = {0};
        int[] m = {0};
        for (int i = 0; i < shards.size(); i++) {
            Path shard = shards.get(i);
            TableSource t = DataFiles.openBounded(shard);
            ColumnMoments part = new ColumnMoments(moments);
            long[] inShard = {0};
            int si = i;
            t.read((v, count, lines) -> {
                for (int r = 0; r < count; r++, g[0]++, inShard[0]++) {
                    int base = r * width;
                    check(t, v, base, lines, r, inShard[0], f32);
                    double label = v[base + target];
                    if (classification) label(t, label, lines, r, inShard[0], labels);
                    StreamingDataset.digest(md, scratch, v, base, width);
                    for (int c = 0, k = 0; c < width; c++) {
                        if (c != target) row[k++] = f32 ? (float) v[base + c] : v[base + c];
                    }
                    if (validation != null && validation.get((int) g[0])) {
                        int slot = valSlot[m[0]++];
                        for (int k = 0; k < p; k++) {
                            if (f32) valF[slot * p + k] = (float) row[k]; else valD[slot * p + k] = row[k];
                        }
                        valY[slot] = label;
                    } else {
                        part.add(row, 0);
                        shardTrain[si]++;
                    }
                }
            });
            if (inShard[0] != shardRows[i]) {
                throw new DataFormatException(shard.toString(), 0, null, "changed while it was read (" + shardRows[i]
                        + " rows, then " + inShard[0] + ")");
            }
            moments.merge(part);
        }
        sha256 = StreamingDataset.hex(md);
        if (classification) classes = classes(labels);
    }

    private void check(TableSource t, double[] v, int base, long[] lines, int r, long rowInShard, boolean f32) {
        double limit = f32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        for (int c = 0; c < columns.size(); c++) {
            double x = v[base + c];
            if (Math.abs(x) <= limit) continue;
            String where = TableSource.rowPrefix(lines, rowInShard);
            throw new DataFormatException(t.file(), TableSource.line(lines, r), columns.get(c), where
                    + (Double.isFinite(x) ? "value " + x + " is outside the float32 range (use --dtype float64 or "
                    + "rescale)" : "non-finite value " + x));
        }
    }

    private void label(TableSource t, double v, long[] lines, int r, long rowInShard, BitSet seen) {
        if (v != Math.rint(v) || v < 0 || v >= Integer.MAX_VALUE) {
            throw new DataFormatException(t.file(), TableSource.line(lines, r), columns.get(target),
                    TableSource.rowPrefix(lines, rowInShard) + "class label must be an integer in 0..K-1, got " + v);
        }
        seen.set((int) v);
    }

    private int classes(BitSet seen) {
        int k = seen.length();
        if (seen.cardinality() != k) {
            throw new DataFormatException(name, 0, columns.get(target), "class labels must be 0..K-1 with every "
                    + "class present; class " + seen.nextClearBit(0) + " is missing (" + seen.cardinality()
                    + " distinct labels, the largest " + (k - 1) + ")");
        }
        if (k < 2) throw new DataFormatException(name, 0, columns.get(target), "classification needs at least two classes");
        return k;
    }

    Standardizer standardizer() {
        int p = columns.size() - 1;
        double[] mean = new double[p], std = new double[p];
        for (int j = 0; j < p; j++) {
            mean[j] = moments.mean(j);
            double s = moments.std(j);
            std[j] = s > 0 ? s : 1.0;
        }
        return new Standardizer(Nd4j.createFromArray(mean).reshape(1, p).castTo(dtype),
                Nd4j.createFromArray(std).reshape(1, p).castTo(dtype));
    }

    /** The validation rows, standardized; null without a split. */
    Dataset validationSet(int classes, Standardizer std) {
        if (validation == null) return null;
        int n = valY.length, p = columns.size() - 1;
        var x = (valF != null ? Nd4j.createFromArray(valF) : Nd4j.createFromArray(valD)).reshape(n, p);
        var y = classes > 2 ? oneHot(n, classes)
                : Nd4j.createFromArray(valY).reshape(n, 1).castTo(dtype);
        valF = null;
        valD = null;
        return new Dataset(std.apply(x), y, classes);
    }

    private org.nd4j.linalg.api.ndarray.INDArray oneHot(int n, int k) {
        var oh = Nd4j.zeros(dtype, n, k);
        for (int i = 0; i < n; i++) oh.putScalar(i, (int) valY[i], 1.0);
        return oh;
    }
}
