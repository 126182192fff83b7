package io.ndopt.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a numeric CSV file with a header row into features and a target column. Handles a UTF-8
 * BOM, CRLF line ends, blank trailing lines and quoted headers; a missing value, a non-numeric cell
 * or a wrong column count is an error naming file, line and column.
 */
public final class Csv {
    private Csv() {}

    /** A numeric table split into features {@code x} (rows × columns) and target {@code y}. */
    public record Table(List<String> featureNames, String targetName, double[][] x, double[] y) {
        public int rows() { return y.length; }
        public int features() { return featureNames.size(); }
    }

    /** Reads {@code file}; {@code target} names the target column, or null for the last column. */
    public static Table read(Path file, String target) {
        String name = file.toString();
        List<String> lines;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            lines = r.lines().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataFormatException(name, 0, null, "cannot read: " + e.getMessage());
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) throw new DataFormatException(name, 1, null, "empty file, expected a header row");
        String headerLine = lines.get(0);
        if (headerLine.startsWith("\uFEFF")) headerLine = headerLine.substring(1);
        String[] header = split(headerLine);
        for (int i = 0; i < header.length; i++) header[i] = unquote(header[i]);
        int targetCol = target == null ? header.length - 1 : Arrays.asList(header).indexOf(target);
        if (targetCol < 0) throw new DataFormatException(name, 1, target, "target column not found (columns: " + String.join(", ", header) + ")");
        if (header.length < 2) throw new DataFormatException(name, 1, null, "need at least one feature column and a target column");
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank()) continue;
            String[] cells = split(line);
            if (cells.length != header.length) {
                throw new DataFormatException(name, ln + 1, null, "expected " + header.length + " columns, found " + cells.length);
            }
            double[] row = new double[header.length - 1];
            for (int c = 0, k = 0; c < cells.length; c++) {
                double v = parse(name, ln + 1, header[c], cells[c]);
                if (c == targetCol) ys.add(v); else row[k++] = v;
            }
            xs.add(row);
        }
        if (ys.isEmpty()) throw new DataFormatException(name, 2, null, "no data rows after the header");
        List<String> features = new ArrayList<>(Arrays.asList(header));
        features.remove(targetCol);
        return new Table(List.copyOf(features), header[targetCol], xs.toArray(new double[0][]),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String[] split(String line) { return line.split(",", -1); }

    private static String unquote(String s) {
        s = s.trim();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static double parse(String file, long line, String column, String cell) {
        String s = unquote(cell);
        if (s.isEmpty() || s.equalsIgnoreCase("na") || s.equalsIgnoreCase("nan") || s.equals("?")) {
            throw new DataFormatException(file, line, column, "missing value");
        }
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) throw new DataFormatException(file, line, column, "non-finite value '" + s + "'");
            return v;
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, column, "not a number: '" + s + "'");
        }
    }
}
