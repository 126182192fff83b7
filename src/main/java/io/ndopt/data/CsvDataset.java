package io.ndopt.data;

import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;

/** Loads a CSV file ({@link Csv}) as a {@link Dataset}, regression or classification. */
public final class CsvDataset {
    private CsvDataset() {}

    /**
     * @param classification if true the target column holds integer class labels 0..k−1
     */
    public static Dataset load(Path file, String target, boolean classification, DataType dt) {
        Csv.Table t = Csv.read(file, target);
        if (!classification) return Dataset.of(t.x(), t.y(), dt);
        int[] labels = new int[t.rows()];
        int classes = 0;
        for (int i = 0; i < labels.length; i++) {
            double v = t.y()[i];
            if (v != Math.rint(v) || v < 0) {
                throw new DataFormatException(file.toString(), i + 2, t.targetName(), "class label must be an integer >= 0, got " + v);
            }
            labels[i] = (int) v;
            classes = Math.max(classes, labels[i] + 1);
        }
        if (classes < 2) throw new DataFormatException(file.toString(), 0, t.targetName(), "classification needs at least two classes");
        return Dataset.classification(t.x(), labels, classes, dt);
    }
}
