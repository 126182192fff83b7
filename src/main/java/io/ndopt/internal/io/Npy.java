package io.ndopt.internal.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** NumPy's {@code .npy} format (version 1.0, little-endian, C order) for float32, float64 and int64 arrays. */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern HEADER = Pattern.compile(
            "\\{\\s*'descr'\\s*:\\s*'([<>|]?[a-z]\\d+)'\\s*,\\s*'fortran_order'\\s*:\\s*(True|False)\\s*,\\s*'shape'\\s*:\\s*\\(([^)]*)\\)\\s*,?\\s*}");

    private Npy() {}

    public static byte[] write(INDArray a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                128 + a.length() * a.dataType().width()));
        try {
            write(a, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the bytes of {@link #write(INDArray)} to {@code out} in blocks of 1 MiB: no copy of the whole array
     * (a C-order array that owns its buffer is read in place), so hashing a dataset costs no memory of its size.
     */
    public static void write(INDArray a, OutputStream out) throws IOException {
        String descr = switch (a.dataType()) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case LONG -> "<i8";
            default -> throw new IllegalArgumentException("npy: unsupported dtype " + a.dataType());
        };
        long[] shape = a.shape();
        String dims = shape.length == 1 ? shape[0] + ","
                : String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList());
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int total = MAGIC.length + 4 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        int hl = header.length();
        out.write(hl & 0xff);
        out.write(hl >> 8);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        if (a.length() == 0) return;
        boolean inPlace = a.ordering() == 'c' && !a.isView() && a.offset() == 0 && a.data().length() == a.length();
        INDArray c = inPlace ? a : a.dup('c');
        Nd4j.getAffinityManager().ensureLocation(c, AffinityManager.Location.HOST);
        int width = a.dataType().width();
        ByteBuffer src = c.data().asNio().order(ByteOrder.nativeOrder());
        byte[] chunk = new byte[1 << 20];
        ByteBuffer dst = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        int per = chunk.length / width;
        for (long i = 0, n = a.length(); i < n; i += per) {
            int k = (int) Math.min(per, n - i), from = (int) i;
            switch (a.dataType()) {
                case FLOAT -> dst.asFloatBuffer().put(0, src.asFloatBuffer(), from, k);
                case DOUBLE -> dst.asDoubleBuffer().put(0, src.asDoubleBuffer(), from, k);
                default -> dst.asLongBuffer().put(0, src.asLongBuffer(), from, k);
            }
            out.write(chunk, 0, k * width);
        }
    }

    /** Reads an array written by {@link #write} (or by numpy.save for the same dtypes); errors name what is wrong. */
    public static INDArray read(byte[] bytes, String what) throws IOException {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IOException(what + ": not an .npy file");
        }
        int major = bytes[6];
        int hl = major == 1 ? (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8 : -1;
        if (hl < 0 || 10 + hl > bytes.length) throw new IOException(what + ": unsupported or truncated .npy header");
        String header = new String(bytes, 10, hl, StandardCharsets.US_ASCII).trim();
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) throw new IOException(what + ": malformed .npy header " + header);
        if (m.group(2).equals("True")) throw new IOException(what + ": Fortran-order .npy is not supported");
        String dims = m.group(3).trim();
        long[] shape = dims.isEmpty() ? new long[0]
                : Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        DataType dt = switch (m.group(1)) {
            case "<f4" -> DataType.FLOAT;
            case "<f8" -> DataType.DOUBLE;
            case "<i8" -> DataType.LONG;
            default -> throw new IOException(what + ": unsupported dtype " + m.group(1));
        };
        int off = 10 + hl;
        if (bytes.length - off != n * dt.width()) {
            throw new IOException(what + ": expected " + n * dt.width() + " data bytes for shape "
                    + Arrays.toString(shape) + ", found " + (bytes.length - off) + " (truncated?)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, off, bytes.length - off).order(ByteOrder.LITTLE_ENDIAN);
        INDArray a = switch (dt) {
            case FLOAT -> { float[] v = new float[(int) n]; b.asFloatBuffer().get(v); yield Nd4j.createFromArray(v); }
            case DOUBLE -> {
                double[] v = new double[(int) n];
                b.asDoubleBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            default -> { long[] v = new long[(int) n]; b.asLongBuffer().get(v); yield Nd4j.createFromArray(v); }
        };
        return shape.length == 0 ? a.reshape() : a.reshape('c', shape);
    }
}
