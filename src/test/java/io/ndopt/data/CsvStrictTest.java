package io.ndopt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Cells are numbers only in plain decimal notation; quoting per RFC 4180; UTF-8 only; dense class ids; dtype range. */
class CsvStrictTest {
    @TempDir Path dir;

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("d.csv"), text);
    }

    private String error(Path f, boolean classification, DataType dt) {
        return assertThrows(DataFormatException.class, () -> CsvDataset.load(f, null, classification, dt)).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5d", "1f", "0x1p3", "1_000", "1e", "0b1", "--1", "1.2.3", "Infinity", "NaN", "1e400"})
    void javaOnlyNumbersAreRejectedWithLineAndColumn(String cell) throws Exception {
        String m = error(write("a,y\n1,2\n" + cell + ",3\n"), false, DataType.DOUBLE);
        assertTrue(m.contains("d.csv:3") && m.contains("'a'") && m.contains(cell), m);
    }

    @Test
    void quotedFieldsFollowRfc4180() throws Exception {
        Csv.Table t = Csv.read(write("\"x, first\",\"say \"\"y\"\"\"\n\"1.5\", 2\n-3,\"4e1\"\n"), null);
        assertEquals(List.of("x, first"), t.featureNames());
        assertEquals("say \"y\"", t.targetName());
        assertArrayEquals(new double[] {2, 40}, t.y());
        assertEquals(-3, t.x()[1][0]);
        String m = assertThrows(DataFormatException.class, () -> Csv.read(write("a,y\n\"1,2\n"), null)).getMessage();
        assertTrue(m.contains("d.csv:2") && m.contains("unterminated"), m);
        m = assertThrows(DataFormatException.class, () -> Csv.read(write("a,y\n\"1\"x,2\n"), null)).getMessage();
        assertTrue(m.contains("after a closing quote"), m);
        m = assertThrows(DataFormatException.class, () -> Csv.read(write("a,a\n1,2\n"), null)).getMessage();
        assertTrue(m.contains("twice"), m);
    }

    @Test
    void latin1IsRefusedWithTheLine() throws Exception {
        Path f = dir.resolve("l.csv");
        Files.write(f, "a,y\n1,2\n3,4 caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        String m = assertThrows(DataFormatException.class, () -> Csv.read(f, null)).getMessage();
        assertTrue(m.contains("l.csv:3") && m.contains("UTF-8") && m.contains("0xE9"), m);
    }

    @Test
    void classIdsMustBeDense() throws Exception {
        String m = error(write("a,y\n1,0\n2,1000000\n3,0\n"), true, DataType.FLOAT);
        assertTrue(m.contains("d.csv:3") && m.contains("0..K-1"), m);
        m = error(write("a,y\n1,0\n2,2\n3,0\n4,2\n"), true, DataType.FLOAT);
        assertTrue(m.contains("missing [1]"), m);
        m = error(write("a,y\n1,1\n2,2\n3,1\n"), true, DataType.FLOAT);
        assertTrue(m.contains("missing [0]"), m);
        assertEquals(3, CsvDataset.load(write("a,y\n1,2\n2,0\n3,1\n"), null, true, DataType.FLOAT).classes());
    }

    @Test
    void float32RangeIsCheckedWithLineAndColumn() throws Exception {
        Path f = write("a,b,y\n1,2,3\n4,1e39,6\n");
        String m = error(f, false, DataType.FLOAT);
        assertTrue(m.contains("d.csv:3") && m.contains("'b'") && m.contains("float32"), m);
        assertEquals(1e39, CsvDataset.load(f, null, false, DataType.DOUBLE).x().getDouble(1, 1));
    }
}
