package io.ndopt.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy input as a {@link TableSource}. A {@code .npy} file holds one 2-D C-order array {@code [n, k]} of
 * float32, float64, int32 or int64 (either byte order, format version 1, 2 or 3); its columns are named by
 * number, "0" to "k−1", and the last is the target unless another is named. The file is memory-mapped and
 * read window by window (no copy of the file on the heap). A {@code .npz} archive ({@code numpy.savez}, or
 * {@code savez_compressed}) holds either one such array, or {@code X} [n, p] (or {@code x}) and {@code y}
 * [n] or [n, 1]: the features are then "0" to "p−1" and the target "y"; its entries are streamed (inflated
 * when compressed).
 */
final class NpySource implements TableSource {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern HEADER = Pattern.compile("\\{\\s*'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'\\s*,"
            + "\\s*'fortran_order'\\s*:\\s*(True|False)\\s*,\\s*'shape'\\s*:\\s*\\(([^)]*)\\)\\s*,?\\s*}");
    private static final int BLOCK_VALUES = 1 << 20;

    private enum Role { TABLE, FEATURES, TARGET }

    /** An array header: element type and shape; data starts {@code offset} bytes into its stream. */
    record Header(char kind, int width, ByteOrder order, long rows, long cols, long offset) {}

    private final String name;
    private final List<String> columns;
    private final long rows;
    private final Opener x;
    private final Opener y;     // null: the target is a column of x
    private final Path mapped;  // the .npy file, or null for an .npz
    private final int blockValues;
    private Header mappedHeader;

    private interface Opener {
        Elements open() throws IOException;
    }

    NpySource(Path file) { this(file, false); }

    /**
     * @param bounded read a {@code .npy} file in 1 MiB chunks through the file channel instead of mapping it, so
     *     the pages read do not count in the process's resident memory, in blocks of 64 Ki values (streamed
     *     training)
     */
    NpySource(Path file, boolean bounded) {
        name = file.toString();
        blockValues = bounded ? 1 << 16 : BLOCK_VALUES;
        mapped = file.getFileName().toString().toLowerCase().endsWith(".npz") ? null : file;
        try {
            if (file.getFileName().toString().toLowerCase().endsWith(".npz")) {
                try (ZipFile zip = new ZipFile(file.toFile())) {
                    List<String> names = zip.stream().map(ZipEntry::getName).toList();
                    String xe = names.contains("X.npy") ? "X.npy" : names.contains("x.npy") ? "x.npy"
                            : names.size() == 1 ? names.get(0) : null;
                    if (xe == null || (names.size() > 1 && !names.contains("y.npy"))) {
                        throw new DataFormatException(name, 0, null, "an .npz must hold one array, or X (or x) "
                                + "and y; found " + names);
                    }
                    Header hx = header(zip.getInputStream(zip.getEntry(xe)), xe, names.size() > 1);
                    x = () -> Elements.stream(file, xe, hx);
                    rows = hx.rows;
                    columns = numbered(hx.cols);
                    if (names.size() > 1) {
                        Header hy = header(zip.getInputStream(zip.getEntry("y.npy")), "y.npy", false);
                        if (hy.rows != hx.rows || hy.cols != 1) {
                            throw new DataFormatException(name, 0, "y", "y has shape [" + hy.rows + ", " + hy.cols
                                    + "], X has " + hx.rows + " rows; y must be [n] or [n, 1]");
                        }
                        y = () -> Elements.stream(file, "y.npy", hy);
                        columns.add("y");
                    } else {
                        y = null;
                    }
                }
            } else {
                Header h;
                try (InputStream in = java.nio.file.Files.newInputStream(file)) {
                    h = header(in, null, false);
                }
                x = bounded ? () -> Elements.chunked(file, h) : () -> Elements.mapped(file, h);
                y = null;
                mappedHeader = h;
                rows = h.rows;
                columns = numbered(h.cols);
                long size = java.nio.file.Files.size(file);
                if (size - h.offset != h.rows * h.cols * h.width) {
                    throw new DataFormatException(name, 0, null, "expected " + h.rows * h.cols * h.width
                            + " data bytes for shape [" + h.rows + ", " + h.cols + "], found " + (size - h.offset)
                            + " (truncated?)");
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(name, 0, null, "cannot read: " + e);
        }
        if (rows == 0) throw new DataFormatException(name, 0, null, "no data rows");
    }

    private static List<String> numbered(long cols) {
        List<String> out = new ArrayList<>();
        for (long c = 0; c < cols; c++) out.add(Long.toString(c));
        return out;
    }

    @Override public String file() { return name; }
    @Override public List<String> columns() { return List.copyOf(columns); }
    @Override public long maxRows() { return rows; }

    @Override public void read(Sink sink) {
        int width = columns.size(), xw = y == null ? width : width - 1;
        int cap = Math.max(1, blockValues / width);
        double[] block = new double[cap * width];
        double[] xs = y == null ? block : new double[cap * xw];
        double[] ys = y == null ? null : new double[cap];
        try (Elements ex = x.open(); Elements ey = y == null ? null : y.open()) {
            for (long r = 0; r < rows; ) {
                int count = (int) Math.min(cap, rows - r);
                ex.next(xs, count * xw);
                if (ey != null) {
                    ey.next(ys, count);
                    for (int i = 0; i < count; i++) {
                        System.arraycopy(xs, i * xw, block, i * width, xw);
                        block[i * width + xw] = ys[i];
                    }
                }
                sink.rows(block, count, null);
                r += count;
            }
        } catch (IOException e) {
            throw new DataFormatException(name, 0, null, "cannot read: " + e);
        }
    }

    /**
     * The fast path of a little-endian float32 {@code .npy} into a float32 {@code x} (C order, as the builder
     * allocates it): each row's features copied from the mapping into x's buffer, the target into {@code y};
     * every value checked finite (x through one native sum, scanned only when that is not finite). Returns
     * false (nothing read) where it does not apply.
     */
    boolean copyFloat32(INDArray x, double[] ys, int target) {
        Header h = mappedHeader;
        if (mapped == null || h.kind != 'f' || h.width != 4 || h.order != ByteOrder.LITTLE_ENDIAN
                || x.dataType() != DataType.FLOAT || x.length() * 4L > Integer.MAX_VALUE
                || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return false;
        }
        int w = (int) h.cols, p = w - 1;
        FloatBuffer dst = x.data().asNio().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        long rowBytes = 4L * w, perWindow = Math.max(1, (256L << 20) / rowBytes);
        try (FileChannel ch = FileChannel.open(mapped, StandardOpenOption.READ)) {
            for (long r0 = 0; r0 < h.rows; r0 += perWindow) {
                int n = (int) Math.min(perWindow, h.rows - r0);
                FloatBuffer src = ch.map(FileChannel.MapMode.READ_ONLY, h.offset + r0 * rowBytes, n * rowBytes)
                        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    int base = i * w, at = (int) ((r0 + i) * p);
                    dst.put(at, src, base, target);
                    dst.put(at + target, src, base + target + 1, w - target - 1);
                    float label = src.get(base + target);
                    if (!Float.isFinite(label)) {
                        throw new DataFormatException(name, 0, columns.get(target), "row " + (r0 + i + 1)
                                + ": non-finite value " + label);
                    }
                    ys[(int) (r0 + i)] = label;
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(name, 0, null, "cannot read: " + e);
        }
        Nd4j.getAffinityManager().tagLocation(x, AffinityManager.Location.HOST);
        if (!Double.isFinite(x.sumNumber().doubleValue())) {     // NaN or Inf (or a sum that overflows): find it
            for (int i = 0; i < dst.limit(); i++) {
                if (!Float.isFinite(dst.get(i))) {
                    int row = i / p, c = i % p;
                    throw new DataFormatException(name, 0, columns.get(c < target ? c : c + 1), "row " + (row + 1)
                            + ": non-finite value " + dst.get(i));
                }
            }
        }
        return true;
    }

    /** Parses an array header from the start of {@code in}; {@code entry} names an .npz member (null for .npy), {@code paired}: X beside y. */
    private Header header(InputStream in, String entry, boolean paired) throws IOException {
        String what = entry == null ? "" : "entry " + entry + ": ";
        byte[] pre = in.readNBytes(12);
        if (pre.length < 10 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC)) {
            throw new DataFormatException(name, 0, null, what + "not an .npy array (no \\x93NUMPY magic)");
        }
        int major = pre[6];
        long len;
        int lenBytes;
        if (major == 1) {
            len = (pre[8] & 0xff) | (pre[9] & 0xff) << 8;
            lenBytes = 2;
        } else if (major == 2 || major == 3) {
            len = (pre[8] & 0xffL) | (pre[9] & 0xffL) << 8 | (pre[10] & 0xffL) << 16 | (pre[11] & 0xffL) << 24;
            lenBytes = 4;
        } else {
            throw new DataFormatException(name, 0, null, what + "unsupported .npy format version " + major);
        }
        long offset = 8 + lenBytes + len;
        byte[] rest = in.readNBytes((int) Math.max(0, offset - 12));
        byte[] all = new byte[(int) offset];
        System.arraycopy(pre, 0, all, 0, Math.min(pre.length, all.length));
        if (offset > 12) System.arraycopy(rest, 0, all, 12, rest.length);
        String text = new String(all, 8 + lenBytes, (int) len,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
        Matcher m = HEADER.matcher(text);
        if (!m.matches()) throw new DataFormatException(name, 0, null, what + "unsupported .npy header " + text);
        char kind = m.group(2).charAt(0);
        int width = Integer.parseInt(m.group(3));
        boolean ok = kind == 'f' ? width == 4 || width == 8 : kind == 'i' && (width == 4 || width == 8);
        if (!ok) {
            throw new DataFormatException(name, 0, null, what + "dtype '" + m.group(1) + m.group(2) + m.group(3)
                    + "' is not float32, float64, int32 or int64");
        }
        if (m.group(4).equals("True")) {
            throw new DataFormatException(name, 0, null, what + "Fortran-order arrays are not supported "
                    + "(save numpy.ascontiguousarray(a))");
        }
        long[] shape = Arrays.stream(m.group(5).split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        Role role = entry == null || !paired && !"y.npy".equals(entry) ? Role.TABLE
                : "y.npy".equals(entry) ? Role.TARGET : Role.FEATURES;
        boolean fits = switch (role) {
            case TABLE -> shape.length == 2 && shape[1] >= 2;
            case FEATURES -> shape.length == 2 && shape[1] >= 1;
            case TARGET -> shape.length == 1 || shape.length == 2 && shape[1] == 1;
        };
        if (!fits) {
            throw new DataFormatException(name, 0, null, what + "found shape " + Arrays.toString(shape) + ", expected "
                    + switch (role) {
                        case TABLE -> "a 2-D array [rows, columns] with a feature column and a target column";
                        case FEATURES -> "X as a 2-D array [rows, features]";
                        case TARGET -> "y as [rows] or [rows, 1]";
                    });
        }
        long cols = shape.length == 2 ? shape[1] : 1;
        ByteOrder order = m.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return new Header(kind, width, order, shape[0], cols, offset);
    }

    /** Elements of one array as doubles, in order, from a mapped file or a zip entry stream. */
    abstract static class Elements implements AutoCloseable {
        private final Header h;
        private ByteBuffer buf = ByteBuffer.allocate(0);

        Elements(Header h) { this.h = h; }

        /** The next bytes of the array (at least one whole element), or an empty buffer at the end. */
        abstract ByteBuffer refill(ByteBuffer rest) throws IOException;

        void next(double[] dst, int n) throws IOException {
            for (int i = 0; i < n; ) {
                if (buf.remaining() < h.width) {
                    buf = refill(buf).order(h.order);
                    if (buf.remaining() < h.width) throw new IOException("array data ends early (truncated?)");
                }
                int k = Math.min(n - i, buf.remaining() / h.width);
                int p = buf.position();
                if (h.kind == 'f' && h.width == 8) buf.asDoubleBuffer().get(dst, i, k);
                else if (h.kind == 'f') widen(buf, dst, i, k);
                else if (h.width == 8) for (int j = 0; j < k; j++) dst[i + j] = buf.getLong(p + 8 * j);
                else for (int j = 0; j < k; j++) dst[i + j] = buf.getInt(p + 4 * j);
                buf.position(p + k * h.width);
                i += k;
            }
        }

        private float[] floats = new float[0];

        /** float32 elements: a bulk copy, then a widening loop (both at memory speed). */
        private void widen(ByteBuffer b, double[] dst, int at, int k) {
            if (floats.length < k) floats = new float[k];
            b.asFloatBuffer().get(floats, 0, k);
            for (int j = 0; j < k; j++) dst[at + j] = floats[j];
        }

        @Override public void close() throws IOException {}

        /** A {@code .npy} file mapped in windows of at most 256 MiB of whole elements. */
        static Elements mapped(Path file, Header h) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            long end = h.offset + h.rows * h.cols * h.width;
            long window = (256L << 20) / h.width * h.width;
            return new Elements(h) {
                long pos = h.offset;

                @Override ByteBuffer refill(ByteBuffer rest) throws IOException {
                    long len = Math.min(window, end - pos);
                    ByteBuffer b = len <= 0 ? ByteBuffer.allocate(0) : ch.map(FileChannel.MapMode.READ_ONLY, pos, len);
                    pos += Math.max(len, 0);
                    return b;
                }

                @Override public void close() throws IOException { ch.close(); }
            };
        }

        /**
         * Puts the unread bytes of {@code rest} at the start of {@code chunk}, ready for the next read after them: a
         * compaction when {@code rest} is the chunk itself (the usual case), a copy otherwise.
         */
        private static void carry(ByteBuffer rest, ByteBuffer chunk) {
            if (rest == chunk) {
                chunk.compact();
            } else {
                chunk.clear();
                chunk.put(rest);
            }
        }

        /** A {@code .npy} file read in chunks of 1 MiB into one heap buffer (no mapping). */
        static Elements chunked(Path file, Header h) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(h.offset);
            return new Elements(h) {
                final ByteBuffer chunk = ByteBuffer.allocate(1 << 20);

                @Override ByteBuffer refill(ByteBuffer rest) throws IOException {
                    carry(rest, chunk);
                    while (chunk.hasRemaining() && ch.read(chunk) > 0) { }
                    chunk.flip();
                    return chunk;
                }

                @Override public void close() throws IOException { ch.close(); }
            };
        }

        /** An .npz entry, streamed (and inflated) in chunks of 4 MiB. */
        static Elements stream(Path file, String entry, Header h) throws IOException {
            ZipFile zip = new ZipFile(file.toFile());
            InputStream in = zip.getInputStream(zip.getEntry(entry));
            in.skipNBytes(h.offset);
            return new Elements(h) {
                final ByteBuffer chunk = ByteBuffer.allocate(4 << 20);

                @Override ByteBuffer refill(ByteBuffer rest) throws IOException {
                    carry(rest, chunk);
                    int n = in.readNBytes(chunk.array(), chunk.position(), chunk.remaining());
                    chunk.position(chunk.position() + n);
                    chunk.flip();
                    return chunk;
                }

                @Override public void close() throws IOException {
                    in.close();
                    zip.close();
                }
            };
        }
    }
}
