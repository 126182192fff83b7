package io.ndopt.internal.config;

/**
 * A value before binding, with where it came from.
 *
 * @param value a String for text sources; Boolean, Long, BigInteger, Double, String, List or Map for files
 * @param where how to name the source in errors, e.g. {@code --lr}, {@code run.yaml:3}, {@code --run 'adam:lr=x'}
 * @param text  true if the value is text to be parsed (command line, compact specs); false if it
 *              carries its type (JSON/YAML), in which case the type must match exactly
 */
public record Raw(Object value, String where, boolean text) {
    public static Raw text(String value, String where) { return new Raw(value, where, true); }
    public static Raw typed(Object value, String where) { return new Raw(value, where, false); }
}
