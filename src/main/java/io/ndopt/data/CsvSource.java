package io.ndopt.data;

import io.ndopt.internal.io.IoMessages;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordWrapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file as a {@link TableSource}: FastCSV splits records (RFC 4180), this class checks what the format
 * promises ({@link Csv}) and parses cells straight from FastCSV's buffer with FastDoubleParser (correctly
 * rounded, equal to {@code Double.parseDouble}) after a strict plain-decimal check, without a String per
 * cell. The file is decoded as strict UTF-8; the first malformed byte is located on the error path only.
 */
final class CsvSource implements TableSource {
    private static final int BLOCK_VALUES = 1 << 17;     // 1 MB of doubles per piece
    private static final long PARALLEL_BYTES = 8L << 20;

    private final Path path;
    private final String name;
    private final Lines.Layout layout;
    private final Handler handler = new Handler(null, 0);
    private final CsvReader<Boolean> reader;
    private final CloseableIterator<Boolean> records;
    private boolean used;

    /** @param parts how many pieces {@link #read} may parse in parallel (1: one pass in this thread) */
    CsvSource(Path file, int parts) {
        this(file, parts, PARALLEL_BYTES);
    }

    /** @param minBytes files smaller than this are read in one piece */
    CsvSource(Path file, int parts, long minBytes) {
        this.path = file;
        this.name = file.toString();
        this.layout = Lines.scan(file, name, file.toFile().length() < minBytes ? 1 : parts);
        reader = open(0, handler);
        records = reader.iterator();
        boolean header;
        try {
            header = next(records, handler);
        } catch (RuntimeException e) {
            close(reader);
            throw e;
        }
        if (!header) {
            close(reader);
            throw new DataFormatException(name, 1, null, "empty file, expected a header row");
        }
    }

    @Override public String file() { return name; }
    @Override public List<String> columns() { return handler.header; }
    @Override public long maxRows() { return Math.max(1, layout.breaks()); }

    @Override public void close() {
        used = true;
        close(reader);
    }

    /**
     * Delivers the rows; with several pieces, each piece is parsed by its own thread and FastCSV reader (a
     * quoted field cannot span lines, so cutting at line starts splits no field), and the sink is called from
     * those threads with disjoint lines. The error reported is the one of the first piece that has one.
     */
    @Override public void read(Sink sink) {
        if (used) throw new IllegalStateException(name + ": already read");
        used = true;
        int parts = layout.parts();
        Handler[] handlers = new Handler[parts];
        RuntimeException[] errors = new RuntimeException[parts];
        Thread[] threads = new Thread[parts];
        handlers[0] = handler;
        for (int k = 1; k < parts; k++) {
            int piece = k;
            handlers[k] = new Handler(handler.header, layout.firstLines()[k] - 1);
            threads[k] = new Thread(() -> errors[piece] = parse(piece, handlers[piece], sink), "ndopt-csv-" + k);
            threads[k].setDaemon(true);
            threads[k].start();
        }
        errors[0] = parse(0, handler, sink);
        long rows = 0;
        for (int k = 0; k < parts; k++) {
            if (threads[k] != null) {
                try {
                    threads[k].join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(name + ": interrupted while reading", e);
                }
            }
            rows += handlers[k].rows;
        }
        for (RuntimeException e : errors) if (e != null) throw e;
        if (rows == 0) throw new DataFormatException(name, 2, null, "no data rows after the header");
    }

    /** Parses piece k (piece 0: the rest after the header) into the sink; returns its error, if any. */
    private RuntimeException parse(int k, Handler h, Sink sink) {
        CsvReader<Boolean> r = k == 0 ? reader : null;
        try {
            h.start(sink);
            if (k == 0) records.next();     // the header, already parsed
            else r = open(k, h);
            next(k == 0 ? records : r.iterator(), h);
            h.flush();
            return null;
        } catch (RuntimeException e) {
            return e;
        } finally {
            if (r != null) close(r);
        }
    }

    /** A FastCSV reader over piece k: strict UTF-8, the BOM of piece 0 skipped. */
    private CsvReader<Boolean> open(int k, Handler h) {
        try {
            InputStream bytes = Files.newInputStream(path);
            bytes.skipNBytes(layout.cuts()[k]);
            InputStream piece = new BoundedInputStream(bytes, layout.end(k) - layout.cuts()[k]);
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            PushbackReader in = new PushbackReader(new InputStreamReader(piece, decoder), 1);
            int first = in.read();
            if (first >= 0 && (first != '\uFEFF' || k > 0)) in.unread(first);
            return CsvReader.builder().acceptCharsAfterQuotes(false).build(h, in);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private boolean next(CloseableIterator<Boolean> it, Handler h) {
        try {
            return it.hasNext();
        } catch (UncheckedIOException e) {
            throw failure(e.getCause());
        } catch (RuntimeException e) {
            if (e.getCause() instanceof DataFormatException d) throw d;
            if (e.getCause() instanceof UncheckedIOException u) throw failure(u.getCause());
            if (e.getCause() instanceof RuntimeException r && r.getMessage() != null
                    && r.getMessage().contains("closing quote")) {
                throw new DataFormatException(name, h.line, null, "text after a closing quote ("
                        + r.getMessage() + ")");
            }
            throw new DataFormatException(name, h.line, null, "malformed CSV: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
        }
    }

    private DataFormatException failure(Throwable e) {
        if (e instanceof CharacterCodingException) return Lines.badUtf8(path, name);
        return new DataFormatException(name, 0, null, "cannot read: "
                + (e instanceof IOException io ? IoMessages.of(path, io) : e.toString()));
    }

    private static void close(CsvReader<Boolean> reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // reading is over; nothing was written
        }
    }

    /** FastCSV callbacks: the first record is the header, every later one a row parsed into the block. */
    private final class Handler extends AbstractBaseCsvCallbackHandler<Boolean> {
        List<String> header;
        private final long lineOffset;
        long line;
        long rows;
        private int width;
        private Sink sink;
        private double[] block;
        private long[] lines;
        private int inBlock;
        private boolean blankFirst;

        /** @param header null for piece 0, which reads it; lineOffset: lines before the piece */
        Handler(List<String> header, long lineOffset) {
            this.header = header;
            this.lineOffset = lineOffset;
        }

        void start(Sink s) {
            sink = s;
            width = header.size();
            int cap = Math.max(1, BLOCK_VALUES / width);
            block = new double[cap * width];
            lines = new long[cap];
        }

        @Override protected void handleBegin(long startingLine) {
            line = startingLine + lineOffset;
            blankFirst = false;
        }

        @Override protected void handleField(int idx, char[] buf, int off, int len, boolean quoted) {
            checkField(buf, off, len, quoted);
            if (sink == null) {
                if (idx == 0) header = new ArrayList<>();
                header.add(new String(buf, off, len).trim());
            } else if (idx < width) {
                if (idx == 0 && Cells.blank(buf, off, len)) {
                    blankFirst = true;     // a blank line, or a missing first value: decided in buildRecord
                    return;
                }
                block[inBlock * width + idx] = Cells.parse(name, line, header.get(idx), buf, off, len);
            }
        }

        private void checkField(char[] buf, int off, int len, boolean quoted) {
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (quoted && (c == '\n' || c == '\r')) {
                    throw new DataFormatException(name, line, null,
                            "unterminated quoted field (fields spanning lines are not supported)");
                }
                if (!quoted && c == '"') {
                    throw new DataFormatException(name, line, null,
                            "a quote inside an unquoted field at character " + (i - off + 1) + " of field "
                            + (getFieldCount()));
                }
            }
        }

        @Override protected RecordWrapper<Boolean> buildRecord() {
            if (header == null) return null;      // a header-less empty file: hasNext() ends
            if (sink == null) {                   // the header: hasNext() yields once here
                if (getFieldCount() == 1 && header.get(0).isEmpty()) {
                    throw new DataFormatException(name, 1, null, "empty file, expected a header row");
                }
                Csv.checkHeader(name, header);
                return wrapRecord(Boolean.TRUE);
            }
            int n = getFieldCount();
            if (isEmptyLine() || (n == 1 && blankFirst)) return null;
            if (n != width) {
                throw new DataFormatException(name, line, null, "expected " + width + " columns, found " + n);
            }
            if (blankFirst) throw new DataFormatException(name, line, header.get(0), "missing value");
            lines[inBlock++] = line;
            rows++;
            if (inBlock == lines.length) flush();
            return null;
        }

        void flush() {
            if (inBlock > 0) sink.rows(block, inBlock, lines);
            inBlock = 0;
        }
    }
}
