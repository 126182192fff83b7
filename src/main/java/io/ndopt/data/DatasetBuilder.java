package io.ndopt.data;

import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.TreeSet;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fills a {@link Dataset} from a {@link TableSource} block by block: the features go straight into one
 * {@code [rows, p]} array of the run's dtype (allocated once from the source's row bound), the target into
 * a double per row; so peak memory is the dataset plus one block. Values must fit the dtype (a float32 run
 * refuses |v| > 3.4e38 rather than turning it into Inf). Class labels must be the integers 0..K−1, each
 * present: the output layer has K units, so a label 1000000 would silently mean a million-unit layer.
 */
final class DatasetBuilder implements TableSource.Sink {
    private final TableSource src;
    private final int target;
    private final int width;
    private final int p;
    private final DataType dt;
    private final boolean classification;
    private INDArray x;
    private double[] y;
    private final AtomicLong filledRows = new AtomicLong();
    private final BitSet filled = new BitSet();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private volatile double maxLabel = -1;
    private long maxLabelLine;

    private DatasetBuilder(TableSource src, int target, boolean classification, DataType dt) {
        this.src = src;
        this.target = target;
        this.width = src.columns().size();
        this.p = width - 1;
        this.dt = dt;
        this.classification = classification;
        long n = src.maxRows();
        if (n > Integer.MAX_VALUE) {
            throw new DataFormatException(src.file(), 0, null, n + " rows are more than an in-memory dataset holds "
                    + "(2^31 - 1)");
        }
        x = Nd4j.createUninitialized(dt, n, p);
        y = new double[(int) n];
    }

    static Dataset build(TableSource src, int target, boolean classification, DataType dt) {
        DatasetBuilder b = new DatasetBuilder(src, target, classification, dt);
        if (src instanceof NpySource npy && npy.copyFloat32(b.x, b.y, target)
                || src instanceof ParquetSource pq && pq.copyInto(b.x, b.y, target)) {
            if (classification) for (int i = 0; i < b.y.length; i++) b.label(b.y[i], null, i, i);
            b.filledRows.set(b.y.length);
        } else {
            src.read(b);
        }
        return b.finish();
    }

    /**
     * One block: row r goes to slot {@code line − 2} of a text file (the header is line 1; blank lines leave
     * slots empty, squeezed out at the end) or to the next slot of a binary file. Called from several threads
     * for a CSV file read in pieces: slots are disjoint, scratch is per thread, the rest is under the lock.
     */
    @Override public void rows(double[] v, int count, long[] lines) {
        boolean f32 = dt == DataType.FLOAT;
        double limit = f32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        long first = lines == null ? filledRows.getAndAdd(count) : -1;
        Scratch s = scratch.get();
        for (int r = 0; r < count; r++) {
            int base = r * width;
            long slot = lines == null ? first + r : lines[r] - 2;
            boolean ok = true;
            for (int c = 0; c < width; c++) ok &= Math.abs(v[base + c]) <= limit;    // false for NaN too
            if (!ok) refuse(v, base, lines, r, slot);
            double label = v[base + target];
            if (classification) label(label, lines, r, slot);
            y[(int) slot] = label;
            if (lines != null && (r == 0 || slot != s.slot + s.rows)) {     // a gap: write what is contiguous
                s.flush(this, f32);
                s.slot = slot;
            } else if (r == 0) {
                s.slot = slot;
            }
            s.add(v, base, f32);
        }
        s.flush(this, f32);
        if (lines != null) {
            synchronized (this) {
                for (int r = 0; r < count; r++) filled.set((int) (lines[r] - 2));
            }
            filledRows.addAndGet(count);
        }
    }

    /** A thread's features of contiguous slots, in the run's dtype, before they are written into x. */
    private final class Scratch {
        float[] ff = new float[0];
        double[] fd = new double[0];
        long slot;
        int rows;

        void add(double[] v, int base, boolean f32) {
            int k = rows * p;
            if (f32) {
                if (ff.length < k + p) ff = Arrays.copyOf(ff, Math.max(k + p, 2 * ff.length));
                for (int c = 0; c < target; c++) ff[k + c] = (float) v[base + c];
                for (int c = target + 1; c < width; c++) ff[k + c - 1] = (float) v[base + c];
            } else {
                if (fd.length < k + p) fd = Arrays.copyOf(fd, Math.max(k + p, 2 * fd.length));
                System.arraycopy(v, base, fd, k, target);
                System.arraycopy(v, base + target + 1, fd, k + target, width - target - 1);
            }
            rows++;
        }

        /**
         * Writes the rows into x at {@code slot}: straight into the host buffer (no temporary array, so no
         * native memory waiting for a GC), then tells the backend the host copy is the fresh one.
         */
        void flush(DatasetBuilder b, boolean f32) {
            if (rows == 0) return;
            long at = slot * p;
            int n = rows * p;
            if (f32) new FloatPointer(b.x.data().pointer()).position(at).put(ff, 0, n);
            else new DoublePointer(b.x.data().pointer()).position(at).put(fd, 0, n);
            Nd4j.getAffinityManager().tagLocation(b.x, AffinityManager.Location.HOST);
            slot += rows;
            rows = 0;
        }
    }

    /** The error for a row with a non-finite value, or one outside float32 in a float32 run. */
    private void refuse(double[] v, int base, long[] lines, int r, long slot) {
        for (int c = 0; c < width; c++) {
            double value = v[base + c];
            String where = TableSource.rowPrefix(lines, slot);
            if (!Double.isFinite(value)) {
                throw new DataFormatException(src.file(), TableSource.line(lines, r), src.columns().get(c),
                        where + "non-finite value " + value);
            }
            if (Math.abs(value) > Float.MAX_VALUE) {
                throw new DataFormatException(src.file(), TableSource.line(lines, r), src.columns().get(c),
                        where + "value " + value + " is outside the float32 range (use --dtype float64 or rescale)");
            }
        }
    }

    private void label(double v, long[] lines, int r, long slot) {
        if (v != Math.rint(v) || v < 0) {
            throw new DataFormatException(src.file(), TableSource.line(lines, r), src.columns().get(target),
                    TableSource.rowPrefix(lines, slot) + "class label must be an integer in 0..K-1, got " + v);
        }
        if (v >= maxLabel) {
            synchronized (this) {
                long where = lines == null ? -(slot + 1) : lines[r];
                if (v > maxLabel || v == maxLabel && where > 0 && where < maxLabelLine) {
                    maxLabel = v;
                    maxLabelLine = where;
                }
            }
        }
    }

    private Dataset finish() {
        int n = (int) filledRows.get();
        if (n < x.rows()) {     // blank lines: the slots that hold a row, in order
            int[] idx = filled.isEmpty() ? java.util.stream.IntStream.range(0, n).toArray() : filled.stream().toArray();
            x = Nd4j.pullRows(x, 1, idx);
            double[] yy = new double[n];
            for (int i = 0; i < n; i++) yy[i] = y[idx[i]];
            y = yy;
        }
        String col = src.columns().get(target);
        if (!classification) {
            return new Dataset(x, Nd4j.createFromArray(y).reshape(n, 1).castTo(dt), 0);
        }
        if (maxLabel >= n) {
            throw new DataFormatException(src.file(), Math.max(maxLabelLine, 0), col,
                    (maxLabelLine < 0 ? "row " + -maxLabelLine + ": " : "")
                    + "class label must be an integer in 0..K-1 with K <= rows (" + n + "), got " + maxLabel);
        }
        int[] labels = new int[n];
        TreeSet<Integer> seen = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            labels[i] = (int) y[i];
            seen.add(labels[i]);
        }
        int classes = seen.last() + 1;
        if (seen.size() != classes) {
            TreeSet<Integer> missing = new TreeSet<>();
            for (int k = 0; k < classes && missing.size() < 5; k++) if (!seen.contains(k)) missing.add(k);
            throw new DataFormatException(src.file(), 0, col, "class labels must be 0..K-1 with every class present; "
                    + "labels are " + abbreviate(seen) + ", missing " + missing
                    + (classes - seen.size() > missing.size() ? " and more" : "") + " (renumber the classes 0.."
                    + (seen.size() - 1) + ")");
        }
        if (classes < 2) throw new DataFormatException(src.file(), 0, col, "classification needs at least two classes");
        INDArray yy;
        if (classes == 2) {
            yy = Nd4j.createFromArray(y).reshape(n, 1).castTo(dt);
        } else {
            yy = Nd4j.zeros(dt, n, classes);
            for (int i = 0; i < n; i++) yy.putScalar(i, labels[i], 1);
        }
        return new Dataset(x, yy, classes);
    }

    private static String abbreviate(TreeSet<Integer> s) {
        return s.size() <= 6 ? s.toString() : "[" + s.first() + ", ..., " + s.last() + "] (" + s.size() + " distinct)";
    }
}
