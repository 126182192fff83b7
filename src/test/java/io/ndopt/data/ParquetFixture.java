package io.ndopt.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes Parquet test files with parquet-java, without Hadoop: a LocalOutputFile, a plain configuration and a
 * {@link ParquetCodecs} (which also compresses). The builder methods that are overloaded with Hadoop types are
 * called through method handles, so that compiling needs no Hadoop class either.
 */
public final class ParquetFixture {
    private ParquetFixture() {}

    /** Column {@code j} of row {@code i} is {@code cells[i][j]}; a null cell is left unset (optional column). */
    public static Path write(Path file, String schema, CompressionCodecName codec, int rowGroupBytes, Object[][] cells)
            throws Throwable {
        MessageType type = MessageTypeParser.parseMessageType(schema);
        Files.deleteIfExists(file);
        var lookup = MethodHandles.publicLookup();
        Object b = lookup.findStatic(ExampleParquetWriter.class, "builder",
                MethodType.methodType(ExampleParquetWriter.Builder.class, OutputFile.class))
                .invoke(new LocalOutputFile(file));
        b = lookup.findVirtual(ParquetWriter.Builder.class, "withConf",
                MethodType.methodType(ParquetWriter.Builder.class, ParquetConfiguration.class))
                .invoke(b, new PlainParquetConfiguration());
        ExampleParquetWriter.Builder builder = ((ExampleParquetWriter.Builder) b).withType(type)
                .withCodecFactory(new ParquetCodecs(file.toString())).withCompressionCodec(codec).withRowGroupSize(rowGroupBytes)
                .withPageSize(Math.min(rowGroupBytes, 1 << 20));
        try (ParquetWriter<Group> w = builder.build()) {
            SimpleGroupFactory f = new SimpleGroupFactory(type);
            for (Object[] row : cells) {
                Group g = f.newGroup();
                for (int j = 0; j < row.length; j++) {
                    String col = type.getFieldName(j);
                    if (row[j] instanceof Double d) g.append(col, d);
                    else if (row[j] instanceof Float v) g.append(col, v);
                    else if (row[j] instanceof Long v) g.append(col, v);
                    else if (row[j] instanceof Integer v) g.append(col, v);
                    else if (row[j] instanceof String v) g.append(col, v);
                }
                w.write(g);
            }
        }
        return file;
    }
}
