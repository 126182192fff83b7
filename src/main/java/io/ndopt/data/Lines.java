package io.ndopt.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Byte-level scans of a text file: its line count (a bound on the rows) and the first byte that is not UTF-8. */
final class Lines {
    private static final int CHUNK = 1 << 20;

    private Lines() {}

    /** Lines after the first (line breaks: LF, CRLF or a lone CR), an upper bound on a CSV's data rows. */
    static long count(Path file, String name) {
        long lf = 0, cr = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = new byte[CHUNK];
            for (int n; (n = in.read(b)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (b[i] == '\n') lf++; else if (b[i] == '\r') cr++;
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(name, 0, null, "cannot read: " + e);
        }
        return Math.max(lf, cr);
    }

    /** The error for a file that is not UTF-8: the line, offset and value of its first malformed byte. */
    static DataFormatException badUtf8(Path file, String name) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(CHUNK);
        CharBuffer out = CharBuffer.allocate(CHUNK);
        long consumed = 0, line = 1;
        try (InputStream s = Files.newInputStream(file)) {
            boolean eof = false;
            while (true) {
                int n = eof ? -1 : s.read(in.array(), in.position(), in.remaining());
                if (n < 0) eof = true; else in.position(in.position() + n);
                in.flip();
                int start = in.position();
                CoderResult r = dec.decode(in, out, eof);
                for (int i = start; i < in.position(); i++) if (in.get(i) == '\n') line++;
                consumed += in.position() - start;
                if (r.isError()) {
                    return new DataFormatException(name, line, null, String.format(
                            "not UTF-8 text (byte 0x%02X at offset %d); save the file as UTF-8",
                            in.get(in.position()) & 0xff, consumed));
                }
                out.clear();
                in.compact();
                if (eof && in.position() == 0) break;
            }
        } catch (IOException e) {
            return new DataFormatException(name, 0, null, "cannot read: " + e);
        }
        return new DataFormatException(name, 0, null, "not UTF-8 text; save the file as UTF-8");
    }
}
