package io.ndopt.glm;

import io.ndopt.data.Csv;
import io.ndopt.data.DataFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Bundled and CSV data as a {@link Design}. {@code diabetes}: Efron et al. (2004), "Least Angle
 * Regression" — 442 patients, 10 baseline features in original units (age, sex, bmi, bp, six serum
 * measurements s1–s6), target = disease progression one year later; the raw table scikit-learn ships
 * ({@code load_diabetes(scaled=False)}).
 */
public final class Datasets {
    public static final List<String> BUNDLED = List.of("diabetes");

    private Datasets() {}

    /** The bundled diabetes data (target column {@code target}). */
    public static Design diabetes() { return bundled("diabetes"); }

    public static Design bundled(String name) {
        if (!BUNDLED.contains(name)) {
            throw new IllegalArgumentException("unknown dataset '" + name + "' (valid: "
                    + String.join(", ", BUNDLED) + ")");
        }
        try (InputStream in = Datasets.class.getResourceAsStream("/datasets/" + name + ".csv")) {
            if (in == null) throw new IllegalStateException("bundled dataset " + name + " missing from the classpath");
            Path tmp = Files.createTempFile("ndopt-" + name, ".csv");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return csv(tmp, "target", null);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A numeric data file ({@link DataFiles}: CSV with a header, NumPy, Parquet): {@code target} names the target column,
     * {@code weightColumn} (or null) a column of sample weights; every other column is a feature.
     */
    public static Design csv(Path file, String target, String weightColumn) {
        Csv.Table t = DataFiles.read(file, target);
        List<String> names = new ArrayList<>(t.featureNames());
        int wc = -1;
        if (weightColumn != null) {
            wc = names.indexOf(weightColumn);
            if (wc < 0 || weightColumn.equals(t.targetName())) {
                throw new IllegalArgumentException("weight column '" + weightColumn + "' not found among the features ("
                        + String.join(", ", names) + ")");
            }
            names.remove(wc);
        }
        if (names.isEmpty()) throw new IllegalArgumentException(file + ": no feature columns left");
        int n = t.rows(), p = names.size();
        double[][] rows = new double[n][p];
        double[] w = wc < 0 ? null : new double[n];
        for (int i = 0; i < n; i++) {
            double[] src = t.x()[i];
            for (int j = 0, k = 0; j < src.length; j++) {
                if (j == wc) w[i] = src[j]; else rows[i][k++] = src[j];
            }
        }
        return Design.ofRows(rows, t.y(), w, names);
    }
}
