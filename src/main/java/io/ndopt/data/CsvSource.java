package io.ndopt.data;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordWrapper;
import java.io.IOException;
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
    private static final int BLOCK_VALUES = 1 << 20;

    private final Path path;
    private final String name;
    private final Handler handler = new Handler();
    private final CsvReader<Boolean> reader;
    private final CloseableIterator<Boolean> records;
    private final long maxRows;
    private boolean used;

    CsvSource(Path file) {
        this.path = file;
        this.name = file.toString();
        this.maxRows = Math.max(1, Lines.count(file, name));
        Reader in;
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            PushbackReader r = new PushbackReader(new InputStreamReader(Files.newInputStream(file), decoder), 1);
            int first = r.read();
            if (first >= 0 && first != '\uFEFF') r.unread(first);
            in = r;
        } catch (IOException e) {
            throw failure(e);
        }
        reader = CsvReader.builder().acceptCharsAfterQuotes(false).build(handler, in);
        records = reader.iterator();
        if (!next()) {
            close();
            throw new DataFormatException(name, 1, null, "empty file, expected a header row");
        }
    }

    @Override public String file() { return name; }
    @Override public List<String> columns() { return handler.header; }
    @Override public long maxRows() { return maxRows; }

    @Override public void read(Sink sink) {
        if (used) throw new IllegalStateException(name + ": already read");
        used = true;
        handler.start(sink);
        try {
            records.next();     // the header, already parsed
            next();
            handler.flush();
            if (handler.rows == 0) throw new DataFormatException(name, 2, null, "no data rows after the header");
        } finally {
            close();
        }
    }

    private boolean next() {
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            throw failure(e.getCause());
        } catch (RuntimeException e) {
            if (e.getCause() instanceof DataFormatException d) throw d;
            if (e.getCause() instanceof UncheckedIOException u) throw failure(u.getCause());
            if (e.getCause() instanceof RuntimeException r && r.getMessage() != null
                    && r.getMessage().contains("closing quote")) {
                throw new DataFormatException(name, handler.line, null, "text after a closing quote ("
                        + r.getMessage() + ")");
            }
            throw new DataFormatException(name, handler.line, null, "malformed CSV: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
        }
    }

    private DataFormatException failure(Throwable e) {
        close();
        if (e instanceof CharacterCodingException) return Lines.badUtf8(path, name);
        return new DataFormatException(name, 0, null, "cannot read: " + e);
    }

    private void close() {
        try {
            if (reader != null) reader.close();
        } catch (IOException ignored) {
            // reading is over; nothing was written
        }
    }

    /** FastCSV callbacks: the first record is the header, every later one a row parsed into the block. */
    private final class Handler extends AbstractBaseCsvCallbackHandler<Boolean> {
        List<String> header;
        long line;
        long rows;
        private int width;
        private Sink sink;
        private double[] block;
        private long[] lines;
        private int inBlock;
        private boolean blankFirst;

        void start(Sink s) {
            sink = s;
            width = header.size();
            int cap = Math.max(1, BLOCK_VALUES / width);
            block = new double[cap * width];
            lines = new long[cap];
        }

        @Override protected void handleBegin(long startingLine) {
            line = startingLine;
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
