package io.ndopt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Parquet input without Hadoop: every codec ndopt reads, several row groups, nulls and non-numbers named. */
class ParquetTest {
    private static final String SCHEMA = "message m { required double a; optional float b; required int32 c; "
            + "required int64 y; }";

    @TempDir Path dir;

    private static Object[][] rows(int n) {
        Object[][] out = new Object[n][];
        for (int i = 0; i < n; i++) out[i] = new Object[] {i * 0.5, (float) (i % 9) - 4f, -i, (long) (i % 3)};
        return out;
    }

    @Test
    void hadoopIsNotOnTheClassPath() {
        // what this class reads, it reads without Hadoop: the test class path has none (see the pom)
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"));
    }

    @Test
    void everyCodecAndRowGroupReadsBackExactly() throws Throwable {
        int n = 3000;
        for (CompressionCodecName codec : List.of(CompressionCodecName.UNCOMPRESSED, CompressionCodecName.SNAPPY,
                CompressionCodecName.ZSTD, CompressionCodecName.GZIP)) {
            Path f = ParquetFixture.write(dir.resolve(codec + ".parquet"), SCHEMA, codec, 16 << 10, rows(n));
            Dataset d = DataFiles.load(f, null, true, DataType.DOUBLE);
            assertEquals(n, d.size(), codec.name());
            assertEquals(3, d.classes(), codec.name());
            for (int i : new int[] {0, 1, 1234, n - 1}) {
                assertArrayEquals(new double[] {i * 0.5, i % 9 - 4, -i}, d.x().getRow(i).toDoubleVector(), codec.name());
                assertEquals(i % 3, d.labels()[i], codec.name());
            }
        }
        Csv.Table t = DataFiles.read(dir.resolve("SNAPPY.parquet"), "a");
        assertEquals(List.of("b", "c", "y"), t.featureNames());
        assertEquals(1234 * 0.5, t.y()[1234]);
    }

    @Test
    void wideFilesAreReadInColumnGroupsToTheSameTable() throws Throwable {
        int cols = 150, n = 40;     // three groups of up to 64 columns, target in the middle one
        StringBuilder schema = new StringBuilder("message m {");
        Object[][] cells = new Object[n][cols];
        for (int c = 0; c < cols; c++) schema.append(" required double c").append(c).append(';');
        for (int i = 0; i < n; i++) for (int c = 0; c < cols; c++) cells[i][c] = i * 1000.0 + c;
        Path f = ParquetFixture.write(dir.resolve("wide.parquet"), schema + " }", CompressionCodecName.ZSTD, 4 << 10, cells);
        Dataset d = DataFiles.load(f, "c100", false, DataType.FLOAT);
        Csv.Table t = DataFiles.read(f, "c100");     // the block path, all columns at once
        assertEquals(cols - 1, d.features());
        for (int i = 0; i < n; i++) {
            assertEquals(i * 1000.0 + 100, d.y().getDouble(i, 0));
            for (int j = 0; j < cols - 1; j++) assertEquals(t.x()[i][j], d.x().getDouble(i, j), i + "," + j);
        }
        assertEquals(39 * 1000.0 + 149, d.x().getDouble(39, 148));
    }

    @Test
    void nullsAndNonNumbersAreNamed() throws Throwable {
        Object[][] cells = rows(5);
        cells[3][1] = null;
        Path f = ParquetFixture.write(dir.resolve("null.parquet"), SCHEMA, CompressionCodecName.SNAPPY, 1 << 20, cells);
        String m = assertThrows(DataFormatException.class, () -> DataFiles.load(f, null, false, DataType.FLOAT))
                .getMessage();
        assertTrue(m.contains("null.parquet") && m.contains("'b'") && m.contains("row 4") && m.contains("missing"), m);
        Path s = ParquetFixture.write(dir.resolve("s.parquet"), "message m { required double a; required binary name"
                + " (STRING); required double y; }", CompressionCodecName.UNCOMPRESSED, 1 << 20,
                new Object[][] {{1.0, "x", 2.0}});
        m = assertThrows(DataFormatException.class, () -> DataFiles.load(s, null, false, DataType.FLOAT)).getMessage();
        assertTrue(m.contains("'name'") && m.contains("not a number type"), m);
    }
}
