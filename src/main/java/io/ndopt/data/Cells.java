package io.ndopt.data;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

/**
 * One CSV cell to a double, from a character buffer: blanks (space, tab) around the cell are ignored, any other
 * character counts (a NUL byte inside a number is not a number). Only plain decimal notation is a number
 * ({@code -1}, {@code 0.5}, {@code .5}, {@code 1e-3}): the same grammar as {@code internal.io.Numbers}, checked
 * here by hand on the buffer, then parsed by FastDoubleParser (correctly rounded like {@code Double.parseDouble}).
 */
final class Cells {
    private Cells() {}

    static boolean blank(char[] b, int off, int len) {
        for (int i = off; i < off + len; i++) if (b[i] != ' ' && b[i] != '\t') return false;
        return true;
    }

    static double parse(String file, long line, String column, char[] b, int off, int len) {
        int s = off, e = off + len;
        while (s < e && (b[s] == ' ' || b[s] == '\t')) s++;
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) e--;
        if (s < e && decimal(b, s, e)) {
            double v = JavaDoubleParser.parseDouble(b, s, e - s);
            if (Double.isFinite(v)) return v;
            throw new DataFormatException(file, line, column, "number out of the float64 range: '" + show(b, s, e) + "'");
        }
        String text = new String(b, s, e - s);
        if (text.isEmpty() || text.equalsIgnoreCase("na") || text.equals("?")) {
            throw new DataFormatException(file, line, column, "missing value");
        }
        boolean special = text.equalsIgnoreCase("nan") || text.toLowerCase().contains("inf");
        String shown = show(b, s, e);
        throw new DataFormatException(file, line, column, special ? "non-finite value '" + shown + "'"
                : "not a number: '" + shown + "'" + (text.indexOf('\0') >= 0 ? " (a NUL byte inside the cell)" : ""));
    }

    /** {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?} over {@code b[s, e)}. */
    static boolean decimal(char[] b, int s, int e) {
        int i = s;
        if (b[i] == '+' || b[i] == '-') i++;
        int intDigits = 0, fracDigits = 0;
        while (i < e && isDigit(b[i])) { i++; intDigits++; }
        if (i < e && b[i] == '.') {
            i++;
            while (i < e && isDigit(b[i])) { i++; fracDigits++; }
        }
        if (intDigits + fracDigits == 0) return false;
        if (i < e && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < e && (b[i] == '+' || b[i] == '-')) i++;
            int expDigits = 0;
            while (i < e && isDigit(b[i])) { i++; expDigits++; }
            if (expDigits == 0) return false;
        }
        return i == e;
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    /** The cell as a message quotes it: control characters written as \\uXXXX so that they can be seen. */
    static String show(char[] b, int s, int e) {
        StringBuilder out = new StringBuilder(e - s);
        for (int i = s; i < e && out.length() < 80; i++) {
            char c = b[i];
            if (c < 0x20 || c == 0x7f) out.append(String.format("\\u%04X", (int) c)); else out.append(c);
        }
        return out.toString();
    }
}
