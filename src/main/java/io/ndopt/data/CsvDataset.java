package io.ndopt.data;

import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Loads a data file as a {@link Dataset}, regression or classification: {@link DataFiles#load}, which reads
 * CSV ({@link Csv}), NumPy and Parquet files alike. Values must fit the dtype (a float32 run refuses
 * |v| > 3.4e38 rather than turning it into Inf). Class labels must be the integers 0..K−1, each present.
 */
public final class CsvDataset {
    private CsvDataset() {}

    /**
     * @param classification if true the target column holds integer class labels 0..k−1
     */
    public static Dataset load(Path file, String target, boolean classification, DataType dt) {
        return DataFiles.load(file, target, classification, dt);
    }
}
