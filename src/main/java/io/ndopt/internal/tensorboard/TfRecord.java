package io.ndopt.internal.tensorboard;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard's event files: each record is its length (uint64, little
 * endian), the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data (uint32s, little
 * endian). The mask is TensorFlow's: rotate right by 15 bits, add 0xa282ead8.
 */
final class TfRecord {
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecord() {}

    static int maskedCrc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        int crc = (int) c.getValue();
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    static void write(OutputStream out, byte[] data) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(data.length);
        head.putInt(maskedCrc(head.array(), 0, 8));
        ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        tail.putInt(maskedCrc(data, 0, data.length));
        out.write(head.array());
        out.write(data);
        out.write(tail.array());
    }

    /**
     * The next record's data, or null at a clean end of the stream.
     *
     * @param where names the stream and the record's offset in errors
     * @throws IOException on a truncated record or a CRC that does not match
     */
    static byte[] read(InputStream in, String where) throws IOException {
        byte[] head = new byte[12];
        int n = in.readNBytes(head, 0, 12);
        if (n == 0) return null;
        if (n < 12) throw new EOFException(where + ": truncated record header");
        ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        long len = h.getLong();
        if (h.getInt() != maskedCrc(head, 0, 8)) throw new IOException(where + ": length CRC mismatch");
        if (len < 0 || len > Integer.MAX_VALUE - 8) throw new IOException(where + ": record length " + len);
        byte[] data = in.readNBytes((int) len);
        byte[] crc = in.readNBytes(4);
        if (data.length < len || crc.length < 4) throw new EOFException(where + ": truncated record");
        if (ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).getInt() != maskedCrc(data, 0, data.length)) {
            throw new IOException(where + ": data CRC mismatch");
        }
        return data;
    }
}
