package io.ndopt.data;

import io.ndopt.internal.io.IoMessages;
import io.ndopt.internal.io.Numbers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a numeric CSV file with a header row into features and a target column. The file must be
 * UTF-8 (a BOM is skipped); lines may end in CRLF; blank lines are skipped. Fields follow RFC 4180:
 * a field may be quoted ({@code "1.5"}, {@code "a,b"} as a header, {@code ""} for a quote inside).
 * A cell is a number only in plain decimal notation ({@link Numbers}: {@code 5d}, {@code 0x1p3},
 * {@code NaN} or {@code Infinity} are not); a missing value, a non-numeric cell, a wrong column count,
 * a duplicate header or an unterminated quote is an error naming file, line and column.
 */
public final class Csv {
    private Csv() {}

    /**
     * A numeric table split into features {@code x} (rows × columns) and target {@code y}; {@code lines[i]}
     * is row i's line.
     */
    public record Table(List<String> featureNames, String targetName, double[][] x, double[] y, int[] lines) {
        public int rows() { return y.length; }
        public int features() { return featureNames.size(); }
    }

    /** Reads {@code file}; {@code target} names the target column, or null for the last column. */
    public static Table read(Path file, String target) {
        String name = file.toString();
        List<String> lines = lines(file);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new DataFormatException(name, 1, null, "empty file, expected a header row");
        }
        String headerLine = lines.get(0);
        if (headerLine.startsWith("\uFEFF")) headerLine = headerLine.substring(1);
        String[] header = split(name, 1, headerLine);
        for (int i = 0; i < header.length; i++) {
            header[i] = header[i].trim();
            if (header[i].isEmpty()) {
                throw new DataFormatException(name, 1, null, "column " + (i + 1) + " has an empty name");
            }
            for (int j = 0; j < i; j++) {
                if (header[j].equals(header[i])) {
                    throw new DataFormatException(name, 1, header[i], "column name appears twice");
                }
            }
        }
        int targetCol = target == null ? header.length - 1 : Arrays.asList(header).indexOf(target);
        if (targetCol < 0) {
            throw new DataFormatException(name, 1, target,
                    "target column not found (columns: " + String.join(", ", header) + ")");
        }
        if (header.length < 2) {
            throw new DataFormatException(name, 1, null, "need at least one feature column and a target column");
        }
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Integer> rowLines = new ArrayList<>();
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank()) continue;
            String[] cells = split(name, ln + 1, line);
            if (cells.length != header.length) {
                throw new DataFormatException(name, ln + 1, null,
                        "expected " + header.length + " columns, found " + cells.length);
            }
            double[] row = new double[header.length - 1];
            for (int c = 0, k = 0; c < cells.length; c++) {
                double v = parse(name, ln + 1, header[c], cells[c]);
                if (c == targetCol) ys.add(v); else row[k++] = v;
            }
            xs.add(row);
            rowLines.add(ln + 1);
        }
        if (ys.isEmpty()) throw new DataFormatException(name, 2, null, "no data rows after the header");
        List<String> features = new ArrayList<>(Arrays.asList(header));
        features.remove(targetCol);
        return new Table(List.copyOf(features), header[targetCol], xs.toArray(new double[0][]),
                ys.stream().mapToDouble(Double::doubleValue).toArray(),
                rowLines.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The file's lines, decoded strictly as UTF-8 (a Latin-1 file is an error naming the line, not garbage). */
    private static List<String> lines(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFormatException(file.toString(), 0, null, "cannot read: " + IoMessages.of(file, e));
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.lines().toList();
        } catch (CharacterCodingException e) {
            int bad = firstBadByte(bytes);
            long line = 1;
            for (int i = 0; i < bad; i++) if (bytes[i] == '\n') line++;
            throw new DataFormatException(file.toString(), line, null,
                    String.format("not UTF-8 text (byte 0x%02X at offset %d); save the file as UTF-8",
                    bytes[bad] & 0xff, bad));
        }
    }

    private static int firstBadByte(byte[] b) {
        var dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        for (int lo = 0, hi = b.length; ; ) {
            if (hi - lo <= 1) return lo;
            int mid = (lo + hi) >>> 1;
            try {
                dec.reset().decode(ByteBuffer.wrap(b, 0, mid));
                lo = mid;
            } catch (CharacterCodingException e) {
                hi = mid;
            }
        }
    }

    /** RFC 4180 fields of one line: commas separate, double quotes quote, {@code ""} is a quote inside quotes. */
    static String[] split(String file, long line, String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false, wasQuoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c != '"') cur.append(c);
                else if (i + 1 < s.length() && s.charAt(i + 1) == '"') { cur.append('"'); i++; }
                else quoted = false;
            } else if (c == '"') {
                if (wasQuoted || !cur.toString().isBlank()) {
                    throw new DataFormatException(file, line, null,
                            "a quote inside an unquoted field at character " + (i + 1));
                }
                cur.setLength(0);
                quoted = wasQuoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                wasQuoted = false;
            } else {
                if (wasQuoted && !Character.isWhitespace(c)) {
                    throw new DataFormatException(file, line, null,
                            "text after a closing quote at character " + (i + 1));
                }
                if (!wasQuoted) cur.append(c);
            }
        }
        if (quoted) {
            throw new DataFormatException(file, line, null,
                    "unterminated quoted field (fields spanning lines are not supported)");
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }

    private static double parse(String file, long line, String column, String cell) {
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);   // trim() would drop a NUL or other control character silently
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new DataFormatException(file, line, column,
                        String.format("control character U+%04X in a cell (position %d)", (int) c, i + 1));
            }
        }
        String s = cell.trim();
        if (s.isEmpty() || s.equalsIgnoreCase("na") || s.equals("?")) {
            throw new DataFormatException(file, line, column, "missing value");
        }
        if (!Numbers.isDecimal(s)) {
            boolean special = s.equalsIgnoreCase("nan") || s.toLowerCase().contains("inf");
            throw new DataFormatException(file, line, column,
                    special ? "non-finite value '" + s + "'" : "not a number: '" + s + "'");
        }
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) {
            throw new DataFormatException(file, line, column, "number out of the float64 range: '" + s + "'");
        }
        return v;
    }
}
