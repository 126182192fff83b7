package io.ndopt.data;

import java.util.Arrays;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
    private long rows;
    private double maxLabel = -1;
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
        src.read(b);
        return b.finish();
    }

    @Override public void rows(double[] v, int count, long[] lines) {
        DataFiles.checkFinite(src, v, count, lines, rows);
        boolean f32 = dt == DataType.FLOAT;
        float[] ff = f32 ? new float[count * p] : null;
        double[] fd = f32 ? null : new double[count * p];
        for (int r = 0; r < count; r++) {
            int base = r * width;
            for (int c = 0, k = r * p; c < width; c++) {
                double value = v[base + c];
                if (f32 && Math.abs(value) > Float.MAX_VALUE) {
                    throw new DataFormatException(src.file(), TableSource.line(lines, r), src.columns().get(c),
                            TableSource.rowPrefix(lines, rows + r) + "value " + value
                            + " is outside the float32 range (use --dtype float64 or rescale)");
                }
                if (c == target) {
                    label(value, lines, r);
                    y[(int) rows + r] = value;
                } else if (f32) {
                    ff[k++] = (float) value;
                } else {
                    fd[k++] = value;
                }
            }
        }
        long[] shape = {count, p};
        INDArray block = f32 ? Nd4j.create(ff, shape, 'c') : Nd4j.create(fd, shape, 'c');
        x.get(NDArrayIndex.interval(rows, rows + count), NDArrayIndex.all()).assign(block);
        rows += count;
    }

    private void label(double v, long[] lines, int r) {
        if (!classification) return;
        if (v != Math.rint(v) || v < 0) {
            throw new DataFormatException(src.file(), TableSource.line(lines, r), src.columns().get(target),
                    TableSource.rowPrefix(lines, rows + r) + "class label must be an integer in 0..K-1, got " + v);
        }
        if (v > maxLabel) {
            maxLabel = v;
            maxLabelLine = lines == null ? -(rows + r + 1) : lines[r];
        }
    }

    private Dataset finish() {
        int n = (int) rows;
        if (n < x.rows()) {     // blank lines: the row bound was larger
            x = x.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup('c');
            y = Arrays.copyOf(y, n);
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
