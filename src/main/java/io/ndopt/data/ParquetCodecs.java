package io.ndopt.data;

import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Page decompression for Parquet without Hadoop: parquet-hadoop's own codec factory constructs Hadoop
 * classes, so reading uses this one — UNCOMPRESSED, SNAPPY (snappy-java), GZIP (java.util.zip), ZSTD
 * (zstd-jni) and LZ4_RAW (aircompressor), the codecs Arrow, Spark and DuckDB write. LZO, BROTLI and the
 * Hadoop-framed LZ4 are refused by name.
 */
final class ParquetCodecs implements CompressionCodecFactory {
    private final String file;

    ParquetCodecs(String file) { this.file = file; }

    @Override public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("ndopt reads Parquet, it does not write it");
    }

    @Override public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        switch (codec) {
            case UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW -> { }
            default -> throw new DataFormatException(file, 0, null, "Parquet compression " + codec
                    + " is not supported (use SNAPPY, ZSTD, GZIP, LZ4_RAW or none)");
        }
        return new BytesInputDecompressor() {
            @Override public BytesInput decompress(BytesInput in, int size) throws IOException {
                if (codec == CompressionCodecName.UNCOMPRESSED) return in;
                byte[] src = in.toByteArray(), out = new byte[size];
                int n = switch (codec) {
                    case SNAPPY -> org.xerial.snappy.Snappy.uncompress(src, 0, src.length, out, 0);
                    case ZSTD -> (int) com.github.luben.zstd.Zstd.decompressByteArray(out, 0, size, src, 0, src.length);
                    case LZ4_RAW -> new Lz4Decompressor().decompress(src, 0, src.length, out, 0, size);
                    default -> {
                        try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(src))) {
                            yield z.readNBytes(out, 0, size);
                        }
                    }
                };
                if (n != size) throw new IOException(codec + " page: " + n + " bytes, expected " + size);
                return BytesInput.from(out);
            }

            @Override public void decompress(ByteBuffer in, int compressedSize, ByteBuffer out, int size)
                    throws IOException {
                byte[] src = new byte[compressedSize];
                in.get(src);
                out.put(decompress(BytesInput.from(src), size).toByteBuffer());
            }

            @Override public void release() { }
        };
    }

    @Override public void release() { }
}
