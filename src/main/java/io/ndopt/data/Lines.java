package io.ndopt.data;

import io.ndopt.internal.io.IoMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    /**
     * A text file's line breaks (LF, CRLF or a lone CR, as FastCSV counts them) and where to cut it into
     * {@code parts} pieces at line starts for parallel parsing: {@code cuts[k]} is the byte offset of piece k,
     * {@code firstLines[k]} the line number it starts at. Files with a lone CR, or too small to be worth it,
     * get one piece.
     */
    record Layout(long breaks, long size, long[] cuts, long[] firstLines) {
        int parts() { return cuts.length; }

        long end(int k) { return k + 1 < cuts.length ? cuts[k + 1] : size; }
    }

    static Layout scan(Path file, String name, int parts) {
        long lf = 0, cr = 0, crlf = 0, pos = 0, size;
        long[] cuts = new long[Math.max(1, parts)], first = new long[cuts.length];
        first[0] = 1;
        int next = 1;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            long target = next < cuts.length ? size * next / cuts.length : Long.MAX_VALUE;
            byte[] b = new byte[CHUNK];
            ByteBuffer words = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            boolean prevCr = false;
            for (int n; (n = in.readNBytes(b, 0, b.length)) > 0; pos += n) {
                int i = 0;
                if (pos + n > target) {     // this chunk holds a cut: byte by byte (parts - 1 chunks in all)
                    for (; i < n; i++) {
                        byte c = b[i];
                        if (c == '\n') {
                            lf++;
                            if (prevCr) crlf++;
                            if (pos + i >= target && pos + i + 1 < size) {
                                cuts[next] = pos + i + 1;
                                first[next] = lf + (cr - crlf) + 1;
                                next++;
                                target = next < cuts.length ? Math.max(size * next / cuts.length, pos + i + 1)
                                        : Long.MAX_VALUE;
                            }
                        } else if (c == '\r') {
                            cr++;
                        }
                        prevCr = c == '\r';
                    }
                    continue;
                }
                for (; i + 8 <= n; i += 8) {    // eight bytes at a time: masks of the LF and CR bytes
                    long w = words.getLong(i);
                    long lfMask = zeroBytes(w ^ 0x0A0A0A0A0A0A0A0AL), crMask = zeroBytes(w ^ 0x0D0D0D0D0D0D0D0DL);
                    lf += Long.bitCount(lfMask);
                    cr += Long.bitCount(crMask);
                    crlf += Long.bitCount(crMask & (lfMask >>> 8)) + (prevCr && (lfMask & 0x80L) != 0 ? 1 : 0);
                    prevCr = crMask < 0;
                }
                for (; i < n; i++) {
                    byte c = b[i];
                    if (c == '\n') {
                        lf++;
                        if (prevCr) crlf++;
                    } else if (c == '\r') {
                        cr++;
                    }
                    prevCr = c == '\r';
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(name, 0, null, "cannot read: " + IoMessages.of(file, e));
        }
        long loneCr = cr - crlf;
        if (loneCr > 0 || next < cuts.length) {
            return new Layout(lf + loneCr, size, new long[] {0}, new long[] {1});
        }
        return new Layout(lf, size, cuts, first);
    }

    /** 0x80 in each byte of {@code x} that is zero, 0 elsewhere (exact: no carries between bytes). */
    private static long zeroBytes(long x) {
        long low7 = 0x7F7F7F7F7F7F7F7FL;
        return ~(((x & low7) + low7) | x | low7);
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
            return new DataFormatException(name, 0, null, "cannot read: " + IoMessages.of(file, e));
        }
        return new DataFormatException(name, 0, null, "not UTF-8 text; save the file as UTF-8");
    }
}
