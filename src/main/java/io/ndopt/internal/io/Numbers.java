package io.ndopt.internal.io;

import java.util.regex.Pattern;

/**
 * Strict text-to-number parsing for command-line values, compact specs and CSV cells. Java's
 * {@code Double.parseDouble} also accepts {@code 5d}, {@code 1f}, {@code 0x1p3}, {@code NaN},
 * {@code Infinity} and surrounding blanks; here only plain decimal notation
 * ({@code -1}, {@code 0.5}, {@code .5}, {@code 1e-3}) is a number, and it must be finite.
 * Errors say what was expected and quote the text.
 */
public final class Numbers {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private Numbers() {}

    /** True if {@code s} is written in plain decimal notation (it may still overflow to infinity). */
    public static boolean isDecimal(String s) { return DECIMAL.matcher(s).matches(); }

    /** A finite double written in plain decimal notation. */
    public static double parseDouble(String s) {
        if (s == null || !isDecimal(s)) throw new NumberFormatException("not a number: '" + s + "'");
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) throw new NumberFormatException("number out of range: '" + s + "'");
        return v;
    }

    /** A long written as decimal digits with an optional sign. */
    public static long parseLong(String s) {
        if (s == null || !INTEGER.matcher(s).matches()) throw new NumberFormatException("not an integer: '" + s + "'");
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("integer out of range: '" + s + "'");
        }
    }

    /** An int written as decimal digits with an optional sign. */
    public static int parseInt(String s) {
        long v = parseLong(s);
        if (v != (int) v) throw new NumberFormatException("integer out of range: '" + s + "'");
        return (int) v;
    }
}
