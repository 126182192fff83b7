package io.ndopt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** CSV through FastCSV keeps the format's rules; .npy/.npz (numpy-written fixtures) load to the same numbers. */
class DataFilesTest {
    private static final double[][] TABLE = {{1.5, -2.0, 0.25}, {3.0, 4.5, 1.0}, {-0.125, 6.0, 0.0}, {7.0, 8.0, 1.0}};

    @TempDir Path dir;

    private Path fixture(String name) throws Exception {
        Path f = dir.resolve(name);
        try (var in = DataFilesTest.class.getResourceAsStream("/data/" + name)) {
            Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    private String error(Path f, String target) {
        return assertThrows(DataFormatException.class, () -> DataFiles.load(f, target, false, DataType.DOUBLE))
                .getMessage();
    }

    @Test
    void aNulByteInsideANumberIsRefusedWithLineAndColumn() throws Exception {
        // the old parser trimmed every character <= ' ' (NUL included) and read "1\0" as 1
        Path f = Files.writeString(dir.resolve("n.csv"), "a,b,y\n1,2,3\n4,5\u0000,6\n");
        String m = error(f, null);
        assertTrue(m.contains("n.csv:3") && m.contains("'b'") && m.contains("5\\u0000") && m.contains("NUL"), m);
        m = error(Files.writeString(dir.resolve("m.csv"), "a,y\n\u00001,2\n"), null);
        assertTrue(m.contains("m.csv:2") && m.contains("'a'"), m);
    }

    @Test
    void cellsParseExactlyAsDoubleParseDouble() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        StringBuilder csv = new StringBuilder("a,y\n");
        String[] cells = new String[3000];
        for (int i = 0; i < cells.length; i++) {
            double v = Double.longBitsToDouble(r.nextLong()) ;
            if (!Double.isFinite(v)) v = r.nextDouble() * 1e-300;
            cells[i] = switch (i % 4) {
                case 0 -> Double.toString(v).replace("E", "e");
                case 1 -> String.format(Locale.ROOT, "%.25f", r.nextDouble() * 1e6 - 5e5);
                case 2 -> String.format(Locale.ROOT, "%.17e", r.nextGaussian());
                default -> "." + Math.abs(r.nextLong());
            };
            csv.append(' ').append(cells[i]).append("\t,").append(i).append('\n');
        }
        Csv.Table t = Csv.read(Files.writeString(dir.resolve("p.csv"), csv), null);
        for (int i = 0; i < cells.length; i++) {
            assertEquals(Double.doubleToLongBits(Double.parseDouble(cells[i])), Double.doubleToLongBits(t.x()[i][0]),
                    cells[i]);
        }
    }

    @Test
    void blankLinesAndManyBlocksGiveEveryRowOnce() throws Exception {
        int cols = 1500, rows = 1800;     // a CSV block holds 2^17 / 1501 = 87 rows: 21 blocks
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < cols; c++) csv.append("c").append(c).append(',');
        csv.append("y\n");
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) csv.append(i % 7 + c % 5).append(',');
            csv.append(i).append(i % 500 == 0 ? "\n  \n\n" : "\r\n");
        }
        Dataset d = DataFiles.load(Files.writeString(dir.resolve("w.csv"), csv), "y", false, DataType.FLOAT);
        assertEquals(rows, d.size());
        assertEquals(cols, d.features());
        assertEquals(DataType.FLOAT, d.x().dataType());
        for (int i : new int[] {0, 86, 87, 698, 1399, 1799}) {
            assertEquals(i, d.y().getDouble(i, 0));
            assertEquals(i % 7 + 1234 % 5, d.x().getDouble(i, 1234));
        }
    }

    @Test
    void aCsvReadInPiecesEqualsOnePassAndReportsTheFirstError() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder("a,b,y\r\n");
        for (int i = 0; i < 5000; i++) {
            csv.append(r.nextGaussian()).append(",\"").append(r.nextInt(100)).append("\",").append(i % 3).append("\r\n");
            if (i % 777 == 5) csv.append("\r\n   \r\n");     // blank lines: slots squeezed out
        }
        Path f = Files.writeString(dir.resolve("big.csv"), csv);
        Dataset one = DatasetBuilder.build(new CsvSource(f, 1, 0), 2, true, DataType.DOUBLE);
        for (int parts : new int[] {2, 3, 7}) {
            CsvSource pieces = new CsvSource(f, parts, 0);
            Dataset d = DatasetBuilder.build(pieces, 2, true, DataType.DOUBLE);
            assertEquals(5000, d.size());
            assertEquals(one.x(), d.x(), parts + " pieces");
            assertEquals(one.y(), d.y(), parts + " pieces");
        }
        String text = csv.toString();
        int late = text.indexOf("\r\n", text.length() * 3 / 4), early = text.indexOf("\r\n", text.length() / 3);
        String bad = text.substring(0, early) + "\r\n1,x,0" + text.substring(early, late) + "\r\n1,2" + text.substring(late);
        Path g = Files.writeString(dir.resolve("bad.csv"), bad);
        long line = text.substring(0, early).chars().filter(c -> c == '\n').count() + 2;
        String m = assertThrows(DataFormatException.class,
                () -> DatasetBuilder.build(new CsvSource(g, 4, 0), 2, false, DataType.DOUBLE)).getMessage();
        assertTrue(m.contains("bad.csv:" + line + ":") && m.contains("'b'"), m);
    }

    @Test
    void numpyFilesLoadToTheirValues() throws Exception {
        for (String f : List.of("table_f4.npy", "table_f8_be.npy", "single.npz", "table_f4.npy#float32")) {
            boolean f32 = f.endsWith("#float32");     // float32 .npy into float32: the copy from the mapping
            Dataset d = DataFiles.load(fixture(f.replace("#float32", "")), null, false,
                    f32 ? DataType.FLOAT : DataType.DOUBLE);
            assertEquals(4, d.size(), f);
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(new double[] {TABLE[i][0], TABLE[i][1]}, d.x().getRow(i).toDoubleVector(), f);
                assertEquals(TABLE[i][2], d.y().getDouble(i, 0), f);
            }
        }
        Csv.Table t = DataFiles.read(fixture("xy.npz"), null);
        assertEquals(List.of("0", "1"), t.featureNames());
        assertEquals("y", t.targetName());
        assertArrayEquals(new double[] {0.25, 1, 0, 1}, t.y());
        String m = assertThrows(DataFormatException.class,
                () -> DataFiles.load(fixture("xy.npz"), "y", true, DataType.FLOAT)).getMessage();
        assertTrue(m.contains("row 1") && m.contains("'y'") && m.contains("0.25"), m);
        Csv.Table ints = DataFiles.read(fixture("table_i8.npy"), "1");
        assertEquals(List.of("0", "2"), ints.featureNames());
        assertArrayEquals(new double[] {-16, 36, 48, 64}, ints.y());
    }

    @Test
    void numpyFilesThatAreNotATableAreRefusedByName() throws Exception {
        assertTrue(error(fixture("fortran.npy"), null).contains("Fortran"));
        Path cut = dir.resolve("cut.npy");
        byte[] b = Files.readAllBytes(fixture("table_f4.npy"));
        Files.write(cut, java.util.Arrays.copyOf(b, b.length - 4));
        assertTrue(error(cut, null).contains("truncated"));
        Path nan = dir.resolve("nan.npy");
        Files.write(nan, io.ndopt.internal.io.Npy.write(org.nd4j.linalg.factory.Nd4j.createFromArray(
                new double[][] {{1, 2, 3}, {4, Double.NaN, 6}})));
        String m = error(nan, null);
        assertTrue(m.contains("row 2") && m.contains("'1'") && m.contains("non-finite"), m);
        Files.write(nan, io.ndopt.internal.io.Npy.write(org.nd4j.linalg.factory.Nd4j.createFromArray(
                new float[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, Float.POSITIVE_INFINITY}})));
        m = assertThrows(DataFormatException.class, () -> DataFiles.load(nan, null, false, DataType.FLOAT)).getMessage();
        assertTrue(m.contains("row 3") && m.contains("'2'") && m.contains("non-finite"), m);
        Path cls = Files.write(dir.resolve("cls.npy"), io.ndopt.internal.io.Npy.write(
                org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{1, 2}, {2, 0}, {3, 1}, {4, 2}})));
        assertArrayEquals(new int[] {2, 0, 1, 2}, DataFiles.load(cls, null, true, DataType.FLOAT).labels());
        Files.write(cls, io.ndopt.internal.io.Npy.write(
                org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{1, 2}, {2, 0}, {3, 0.5f}})));
        m = assertThrows(DataFormatException.class, () -> DataFiles.load(cls, null, true, DataType.FLOAT)).getMessage();
        assertTrue(m.contains("row 3") && m.contains("0.5"), m);
        Dataset mid = DataFiles.load(fixture("table_f4.npy"), "1", false, DataType.FLOAT);    // target not last
        assertArrayEquals(new float[] {3, 1}, mid.x().getRow(1).toFloatVector());
        assertEquals(4.5, mid.y().getDouble(1, 0));
        assertTrue(error(fixture("table_f4.npy"), "label").contains("target column not found"));
    }
}
