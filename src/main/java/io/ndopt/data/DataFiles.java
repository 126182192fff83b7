package io.ndopt.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Numeric tables from files, by extension: {@code .npy} and {@code .npz} (NumPy, {@link NpySource}),
 * {@code .parquet} (Parquet, {@link ParquetSource}; needs the optional parquet-hadoop dependency), anything
 * else CSV ({@link Csv}); a folder, or a glob in the last path element, is a table in shards
 * ({@link ShardSource}), loaded whole. Every format is read in blocks straight into the result, and every value must be a
 * finite number: errors name the file, the line (CSV) or row (binary formats) and the column.
 */
public final class DataFiles {
    /** The formats {@link #formatOf} knows. */
    public enum Format { CSV, NPY, NPZ, PARQUET }

    private DataFiles() {}

    public static Format formatOf(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".npy")) return Format.NPY;
        if (n.endsWith(".npz")) return Format.NPZ;
        if (n.endsWith(".parquet") || n.endsWith(".pq")) return Format.PARQUET;
        return Format.CSV;
    }

    /**
     * Loads {@code file} as a {@link Dataset} of dtype {@code dt}: peak memory is the dataset plus one block
     * of rows (a few MB). {@code target} names the target column, or null for the last column; with
     * {@code classification} it holds integer class labels 0..K−1, each present.
     */
    public static Dataset load(Path file, String target, boolean classification, DataType dt) {
        TableSource src = open(file, Math.min(8, Runtime.getRuntime().availableProcessors()));
        return DatasetBuilder.build(src, targetColumn(src, target), classification, dt);
    }

    /** Reads {@code file} as a table of doubles (for small data: one Java array per row). */
    public static Csv.Table read(Path file, String target) {
        return table(open(file, 1), target);
    }

    /** @param parts how many threads may parse a CSV file (its rows then reach the sink from each) */
    static TableSource open(Path file, int parts) {
        if (ShardSource.isShardSet(file)) return ShardSource.of(file);
        return switch (formatOf(file)) {
            case NPY, NPZ -> new NpySource(file);
            case PARQUET -> parquet(file);
            case CSV -> new CsvSource(file, parts);
        };
    }

    /** One file of a streamed table, read in bounded chunks (a {@code .npy} file is not mapped). */
    static TableSource openBounded(Path file) {
        return formatOf(file) == Format.NPY ? new NpySource(file, true) : open(file, 1);
    }

    private static TableSource parquet(Path file) {
        try {
            Class.forName("org.apache.parquet.hadoop.ParquetFileReader", false, DataFiles.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new DataFormatException(file.toString(), 0, null, "reading Parquet needs "
                    + "org.apache.parquet:parquet-hadoop on the class path (an optional dependency of ndopt)");
        }
        return new ParquetSource(file);
    }

    /** The index of the target column: {@code target}, or the last column. */
    static int targetColumn(TableSource src, String target) {
        List<String> cols = src.columns();
        if (cols.size() < 2) {
            throw new DataFormatException(src.file(), 1, null, "need at least one feature column and a target column");
        }
        int t = target == null ? cols.size() - 1 : cols.indexOf(target);
        if (t < 0) {
            String shown = cols.size() <= 30 ? String.join(", ", cols)
                    : String.join(", ", cols.subList(0, 30)) + ", ... (" + cols.size() + " columns)";
            throw new DataFormatException(src.file(), src instanceof CsvSource ? 1 : 0, target,
                    "target column not found (columns: " + shown + ")");
        }
        return t;
    }

    static Csv.Table table(TableSource src, String target) {
        int t = targetColumn(src, target), width = src.columns().size();
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        src.read((v, count, ln) -> {
            checkFinite(src, v, count, ln, xs.size());
            for (int r = 0; r < count; r++) {
                double[] row = new double[width - 1];
                for (int c = 0, k = 0; c < width; c++) {
                    if (c == t) ys.add(v[r * width + c]); else row[k++] = v[r * width + c];
                }
                xs.add(row);
                lines.add((int) (ln == null ? xs.size() : ln[r]));
            }
        });
        List<String> features = new ArrayList<>(src.columns());
        features.remove(t);
        return new Csv.Table(List.copyOf(features), src.columns().get(t), xs.toArray(new double[0][]),
                ys.stream().mapToDouble(Double::doubleValue).toArray(),
                lines.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Binary formats can hold NaN and infinities; CSV cannot (its parser refuses them). */
    static void checkFinite(TableSource src, double[] v, int count, long[] lines, long row0) {
        if (lines != null) return;
        int width = src.columns().size();
        for (int i = 0; i < count * width; i++) {
            if (!Double.isFinite(v[i])) {
                throw new DataFormatException(src.file(), 0, src.columns().get(i % width),
                        "row " + (row0 + i / width + 1) + ": non-finite value " + v[i]);
            }
        }
    }
}
