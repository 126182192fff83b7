package io.ndopt.data;

import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Page decompression for Parquet without Hadoop: parquet-hadoop's own codec factory constructs Hadoop
 * classes, so reading uses this one — UNCOMPRESSED, SNAPPY (snappy-java), GZIP (java.util.zip), ZSTD
 * (zstd-jni) and LZ4_RAW (aircompressor), the codecs Arrow, Spark and DuckDB write. LZO, BROTLI and the
 * Hadoop-framed LZ4 are refused by name.
 */
public final class ParquetCodecs implements CompressionCodecFactory {
    private final String file;

    /** @param file the file that error messages name */
    public ParquetCodecs(String file) { this.file = file; }

    /** Compression for parquet-java's writer (tests and benchmarks write their files with it). */
    @Override public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new BytesInputCompressor() {
            @Override public BytesInput compress(BytesInput in) throws IOException {
                byte[] src = in.toByteArray();
                return BytesInput.from(switch (codec) {
                    case UNCOMPRESSED -> src;
                    case SNAPPY -> org.xerial.snappy.Snappy.compress(src);
                    case ZSTD -> com.github.luben.zstd.Zstd.compress(src);
                    case GZIP -> {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                            z.write(src);
                        }
                        yield out.toByteArray();
                    }
                    default -> throw new IOException("no " + codec + " compressor (use SNAPPY, ZSTD, GZIP or none)");
                });
            }

            @Override public CompressionCodecName getCodecName() { return codec; }

            @Override public void release() { }
        };
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
                ByteBuffer view = in.toByteBuffer();     // the page's bytes without a copy where it can
                byte[] src;
                int off, len = view.remaining();
                if (view.hasArray()) {
                    src = view.array();
                    off = view.arrayOffset() + view.position();
                } else {
                    src = new byte[len];
                    view.duplicate().get(src);
                    off = 0;
                }
                byte[] out = new byte[size];
                int n = switch (codec) {
                    case SNAPPY -> org.xerial.snappy.Snappy.uncompress(src, off, len, out, 0);
                    case ZSTD -> (int) com.github.luben.zstd.Zstd.decompressByteArray(out, 0, size, src, off, len);
                    case LZ4_RAW -> new Lz4Decompressor().decompress(src, off, len, out, 0, size);
                    default -> {
                        try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(src, off, len))) {
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
