package io.ndopt.data;

import java.nio.file.Path;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Loads a CSV file ({@link Csv}) as a {@link Dataset}, regression or classification. Values must
 * fit the dtype (a float32 run refuses |v| > 3.4e38 rather than turning it into Inf). Class labels
 * must be the integers 0..K−1, each present: the output layer has K units, so a label 1000000
 * would silently mean a million-unit layer.
 */
public final class CsvDataset {
    private CsvDataset() {}

    /**
     * @param classification if true the target column holds integer class labels 0..k−1
     */
    public static Dataset load(Path file, String target, boolean classification, DataType dt) {
        Csv.Table t = Csv.read(file, target);
        if (dt == DataType.FLOAT) checkFloat32(file, t);
        if (!classification) return Dataset.of(t.x(), t.y(), dt);
        int[] labels = new int[t.rows()];
        TreeSet<Integer> seen = new TreeSet<>();
        for (int i = 0; i < labels.length; i++) {
            double v = t.y()[i];
            if (v != Math.rint(v) || v < 0 || v >= t.rows()) {
                throw new DataFormatException(file.toString(), t.lines()[i], t.targetName(),
                        "class label must be an integer in 0..K-1 with K <= rows (" + t.rows() + "), got " + v);
            }
            labels[i] = (int) v;
            seen.add(labels[i]);
        }
        int classes = seen.last() + 1;
        if (seen.size() != classes) {
            TreeSet<Integer> missing = new TreeSet<>();
            for (int k = 0; k < classes && missing.size() < 5; k++) if (!seen.contains(k)) missing.add(k);
            throw new DataFormatException(file.toString(), 0, t.targetName(),
                    "class labels must be 0..K-1 with every class present; labels are "
                    + abbreviate(seen) + ", missing " + missing
                    + (classes - seen.size() > missing.size() ? " and more" : "") + " (renumber the classes 0.."
                    + (seen.size() - 1) + ")");
        }
        if (classes < 2) {
            throw new DataFormatException(file.toString(), 0, t.targetName(),
                    "classification needs at least two classes");
        }
        return Dataset.classification(t.x(), labels, classes, dt);
    }

    private static void checkFloat32(Path file, Csv.Table t) {
        for (int i = 0; i < t.rows(); i++) {
            for (int j = 0; j <= t.features(); j++) {
                double v = j < t.features() ? t.x()[i][j] : t.y()[i];
                if (Math.abs(v) > Float.MAX_VALUE) {
                    throw new DataFormatException(file.toString(), t.lines()[i],
                            j < t.features() ? t.featureNames().get(j) : t.targetName(),
                            "value " + v + " is outside the float32 range (use --dtype float64 or rescale)");
                }
            }
        }
    }

    private static String abbreviate(TreeSet<Integer> s) {
        return s.size() <= 6 ? s.toString() : "[" + s.first() + ", ..., " + s.last() + "] (" + s.size() + " distinct)";
    }
}
