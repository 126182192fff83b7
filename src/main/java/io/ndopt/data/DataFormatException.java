package io.ndopt.data;

/** A malformed input file; the message names the file, line and field. */
public final class DataFormatException extends IllegalArgumentException {
    public DataFormatException(String file, long line, String field, String problem) {
        super(file + (line > 0 ? ":" + line : "") + (field == null ? "" : ": field '" + field + "'") + ": " + problem);
    }
}
