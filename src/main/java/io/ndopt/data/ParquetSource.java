package io.ndopt.data;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetMetricsCallback;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Parquet file as a {@link TableSource}, read without Hadoop: a {@link LocalInputFile}, read options built
 * with {@link ParquetCodecs} (parquet-hadoop's builder would construct Hadoop's codec classes), and the
 * column readers of each row group. Every column must be a flat, non-repeated FLOAT, DOUBLE, INT32 or INT64
 * (plain integers; decimals, dates and timestamps are refused by name); a null is a missing value naming
 * row and column. Column names are the schema's ({@code a.b} for a nested group's leaf).
 */
final class ParquetSource implements TableSource {
    private static final int BLOCK_VALUES = 1 << 20;
    private static final int COLUMN_GROUP = 64;

    private final Path path;
    private final String name;
    private final List<String> columns = new ArrayList<>();
    private final List<ColumnDescriptor> descriptors;
    private final MessageType schema;
    private final long rows;

    ParquetSource(Path file) {
        path = file;
        name = file.toString();
        try (ParquetFileReader r = open()) {
            schema = r.getFooter().getFileMetaData().getSchema();
            rows = r.getRecordCount();
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataFormatException d) throw d;
            throw new DataFormatException(name, 0, null, "not a readable Parquet file: " + e.getMessage());
        }
        descriptors = schema.getColumns();
        for (ColumnDescriptor d : descriptors) {
            String col = String.join(".", d.getPath());
            PrimitiveType t = d.getPrimitiveType();
            LogicalTypeAnnotation logical = t.getLogicalTypeAnnotation();
            boolean numeric = switch (t.getPrimitiveTypeName()) {
                case FLOAT, DOUBLE, INT32, INT64 -> logical == null
                        || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation;
                default -> false;
            };
            if (d.getMaxRepetitionLevel() > 0) {
                throw new DataFormatException(name, 0, col, "repeated (list) columns are not supported");
            }
            if (!numeric) {
                throw new DataFormatException(name, 0, col, "column type " + t.getPrimitiveTypeName()
                        + (logical == null ? "" : " (" + logical + ")") + " is not a number type"
                        + " (FLOAT, DOUBLE, INT32 or INT64)");
            }
            columns.add(col);
        }
        if (columns.size() < 2) {
            throw new DataFormatException(name, 0, null, "need at least one feature column and a target column");
        }
        if (rows == 0) throw new DataFormatException(name, 0, null, "no data rows");
    }

    @Override public String file() { return name; }
    @Override public List<String> columns() { return List.copyOf(columns); }
    @Override public long maxRows() { return rows; }

    @Override public void read(Sink sink) {
        int width = columns.size(), cap = Math.max(1, BLOCK_VALUES / width);
        double[] block = new double[cap * width];
        long row = 0;
        try (ParquetFileReader r = open()) {
            String createdBy = r.getFooter().getFileMetaData().getCreatedBy();
            for (PageReadStore pages; (pages = r.readNextRowGroup()) != null; ) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new NoConverter(), schema, createdBy);
                ColumnReader[] readers = new ColumnReader[width];
                for (int c = 0; c < width; c++) readers[c] = store.getColumnReader(descriptors.get(c));
                for (long left = pages.getRowCount(); left > 0; ) {
                    int count = (int) Math.min(cap, left);
                    for (int c = 0; c < width; c++) read(readers[c], c, block, c, width, count, row);
                    sink.rows(block, count, null);
                    row += count;
                    left -= count;
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(name, 0, null, "cannot read: " + e);
        }
    }

    /**
     * The dataset path: the file read in groups of {@value #COLUMN_GROUP} columns (a flat schema; parquet-java
     * then reads only those columns' chunks of each row group), column by column (so one column's decoded
     * pages are alive at a time), values written straight into {@code x}'s buffer (C order) and {@code ys};
     * every value checked finite and, for a float32 {@code x}, within float32. Returns false (nothing read)
     * for an {@code x} above 2 GB, which the block path reads instead.
     */
    boolean copyInto(INDArray x, double[] ys, int target) {
        boolean f32 = x.dataType() == DataType.FLOAT;
        if (x.length() * (f32 ? 4L : 8L) > Integer.MAX_VALUE || (!f32 && x.dataType() != DataType.DOUBLE)) return false;
        ByteBuffer raw = x.data().asNio().order(ByteOrder.nativeOrder());
        FloatBuffer xf = f32 ? raw.asFloatBuffer() : null;
        DoubleBuffer xd = f32 ? null : raw.asDoubleBuffer();
        int width = columns.size(), p = width - 1;
        double limit = f32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        boolean flat = descriptors.stream().allMatch(d -> d.getPath().length == 1);
        int group = flat ? COLUMN_GROUP : width;
        for (int c0 = 0; c0 < width; c0 += group) {
            int c1 = Math.min(width, c0 + group);
            MessageType part = flat ? new MessageType(schema.getName(), schema.getFields().subList(c0, c1)) : schema;
            long row0 = 0;
            try (ParquetFileReader r = open()) {
                r.setRequestedSchema(part);
                String createdBy = r.getFooter().getFileMetaData().getCreatedBy();
                for (PageReadStore pages; (pages = r.readNextRowGroup()) != null; ) {
                    ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new NoConverter(), part, createdBy);
                    int n = (int) pages.getRowCount();
                    double[] col = new double[Math.min(n, 1 << 16)];
                    for (int c = c0; c < c1; c++) {
                        ColumnReader cr = store.getColumnReader(descriptors.get(c));
                        for (int done = 0; done < n; ) {
                            int k = Math.min(col.length, n - done);
                            read(cr, c, col, 0, 1, k, row0 + done);
                            for (int i = 0; i < k; i++) {
                                double v = col[i];
                                long row = row0 + done + i;
                                if (!(Math.abs(v) <= limit)) {
                                    throw new DataFormatException(name, 0, columns.get(c), "row " + (row + 1) + ": "
                                            + (Double.isFinite(v) ? "value " + v + " is outside the float32 range "
                                            + "(use --dtype float64 or rescale)" : "non-finite value " + v));
                                }
                                if (c == target) ys[(int) row] = v;
                                else if (f32) xf.put((int) (row * p + (c < target ? c : c - 1)), (float) v);
                                else xd.put((int) (row * p + (c < target ? c : c - 1)), v);
                            }
                            done += k;
                        }
                    }
                    row0 += n;
                }
            } catch (IOException e) {
                throw new DataFormatException(name, 0, null, "cannot read: " + e);
            }
        }
        Nd4j.getAffinityManager().tagLocation(x, AffinityManager.Location.HOST);
        return true;
    }

    /** {@code count} values of column {@code c} into {@code block[at + i * stride]}. */
    private void read(ColumnReader cr, int c, double[] block, int at, int stride, int count, long row0) {
        ColumnDescriptor d = descriptors.get(c);
        int maxDef = d.getMaxDefinitionLevel();
        PrimitiveType.PrimitiveTypeName type = d.getPrimitiveType().getPrimitiveTypeName();
        for (int i = 0; i < count; i++) {
            if (cr.getCurrentDefinitionLevel() < maxDef) {
                throw new DataFormatException(name, 0, columns.get(c), "row " + (row0 + i + 1) + ": missing value");
            }
            block[at + i * stride] = switch (type) {
                case DOUBLE -> cr.getDouble();
                case FLOAT -> cr.getFloat();
                case INT32 -> cr.getInteger();
                default -> cr.getLong();
            };
            cr.consume();
        }
    }

    private ParquetFileReader open() throws IOException {
        return new ParquetFileReader(new LocalInputFile(path), options(new ParquetCodecs(name)));
    }

    /**
     * Read options with a codec factory of ndopt's: {@code ParquetReadOptions.Builder}'s constructor builds
     * parquet-hadoop's CodecFactory, which loads Hadoop classes; the options' own constructor (package-private
     * in parquet-java 1.18) does not.
     */
    private static ParquetReadOptions options(CompressionCodecFactory codecs) {
        try {
            Constructor<ParquetReadOptions> k = ParquetReadOptions.class.getDeclaredConstructor(boolean.class,
                    boolean.class, boolean.class, boolean.class, boolean.class, boolean.class, boolean.class,
                    boolean.class, boolean.class, FilterCompat.Filter.class,
                    ParquetMetadataConverter.MetadataFilter.class, CompressionCodecFactory.class,
                    ByteBufferAllocator.class, int.class, Map.class, FileDecryptionProperties.class,
                    ParquetMetricsCallback.class, ParquetConfiguration.class);
            k.setAccessible(true);
            return k.newInstance(false, false, false, false, false, true, false, false, false, FilterCompat.NOOP,
                    ParquetMetadataConverter.NO_FILTER, codecs, new HeapByteBufferAllocator(), 8 << 20, Map.of(),
                    null, null, new PlainParquetConfiguration());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this parquet-hadoop version's ParquetReadOptions is not the one ndopt "
                    + "was built with (1.18): " + e, e);
        }
    }

    /** Column readers want a record converter; plain numbers never use it. */
    private static final class NoConverter extends GroupConverter {
        @Override public Converter getConverter(int i) { return new PrimitiveConverter() { }; }
        @Override public void start() { }
        @Override public void end() { }
    }
}
