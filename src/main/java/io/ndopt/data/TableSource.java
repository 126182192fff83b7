package io.ndopt.data;

import java.util.List;

/**
 * A numeric table in a file (CSV, {@code .npy}/{@code .npz}, Parquet), read in blocks of rows so that no
 * reader holds more than one block besides what the consumer builds.
 */
interface TableSource {
    /** The file, as error messages name it. */
    String file();

    /** Column names in file order (for headerless formats the column numbers "0", "1", ...). */
    List<String> columns();

    /** An upper bound on the number of data rows (exact for the binary formats). */
    long maxRows();

    /** Delivers every row, in file order, to {@code sink}; may be called once, and releases the file. */
    void read(Sink sink);

    /** Releases the file without reading it (after {@link #columns} alone). */
    default void close() { }

    /** Receives blocks of rows. */
    interface Sink {
        /**
         * {@code values[r * columns + c]} for the block's {@code count} rows; {@code lines[r]} is row r's
         * line in a text file, or null for a binary file (rows are then numbered by position).
         */
        void rows(double[] values, int count, long[] lines);
    }

    /** Where row {@code row} (0-based, over the whole file) of a block with {@code lines} sits, for messages. */
    static long line(long[] lines, int r) { return lines == null ? 0 : lines[r]; }

    /** "row N: " for binary files (1-based), "" for text files whose messages carry the line. */
    static String rowPrefix(long[] lines, long row) { return lines == null ? "row " + (row + 1) + ": " : ""; }
}
