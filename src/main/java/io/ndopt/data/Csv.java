package io.ndopt.data;

import io.ndopt.internal.io.Numbers;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a numeric CSV file with a header row into features and a target column. The file must be
 * UTF-8 (a BOM is skipped); lines may end in CRLF; blank lines are skipped. Fields follow RFC 4180:
 * a field may be quoted ({@code "1.5"}, {@code "a,b"} as a header, {@code ""} for a quote inside); a quoted
 * field cannot span lines, and nothing may follow its closing quote but the separator.
 * A cell is a number only in plain decimal notation ({@link Numbers}: {@code 5d}, {@code 0x1p3},
 * {@code NaN} or {@code Infinity} are not); blanks (space, tab) around it are ignored, any other character
 * (a NUL byte, say) makes it not a number. A missing value, a non-numeric cell, a wrong column count,
 * a duplicate header or an unterminated quote is an error naming file, line and column.
 * Records are split by FastCSV and cells parsed by FastDoubleParser ({@link CsvSource}); {@link DataFiles}
 * reads the other formats.
 */
public final class Csv {
    private Csv() {}

    /**
     * A numeric table split into features {@code x} (rows × columns) and target {@code y}; {@code lines[i]}
     * is row i's line (for a binary file, its 1-based row number).
     */
    public record Table(List<String> featureNames, String targetName, double[][] x, double[] y, int[] lines) {
        public int rows() { return y.length; }
        public int features() { return featureNames.size(); }
    }

    /** Reads {@code file}; {@code target} names the target column, or null for the last column. */
    public static Table read(Path file, String target) {
        return DataFiles.table(new CsvSource(file, 1), target);
    }

    /** The header's rules: non-empty names, each once. */
    static void checkHeader(String name, List<String> header) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).isEmpty()) {
                throw new DataFormatException(name, 1, null, "column " + (i + 1) + " has an empty name");
            }
            for (int j = 0; j < i; j++) {
                if (header.get(j).equals(header.get(i))) {
                    throw new DataFormatException(name, 1, header.get(i), "column name appears twice");
                }
            }
        }
    }
}
