package io.ndopt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.internal.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** A folder or glob of shards loads as the table of its shards in name order; columns must agree. */
class ShardsTest {
    @TempDir Path dir;

    @Test
    void aFolderOfMixedShardsIsOneTableInNameOrder() throws Throwable {
        Path d = Files.createDirectory(dir.resolve("parts"));
        Files.writeString(d.resolve("part-0.csv"), "0,1,2\n1,2,0\n\n3,4,1\n");
        Files.write(d.resolve("part-1.npy"), Npy.write(Nd4j.createFromArray(new double[][] {{5, 6, 2}, {7, 8, 0}})));
        Files.writeString(d.resolve("part-2.csv"), "0,1,2\n9,10,1\n");
        Files.writeString(d.resolve("notes.txt"), "not a shard");
        Dataset all = DataFiles.load(d, null, true, DataType.FLOAT);
        assertEquals(5, all.size());
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, all.labels());
        assertArrayEquals(new float[] {1, 3, 5, 7, 9}, all.x().getColumn(0).toFloatVector());
        Dataset glob = DataFiles.load(d.resolve("part-*.csv"), null, false, DataType.DOUBLE);
        assertArrayEquals(new double[] {0, 1, 1}, glob.y().ravel().toDoubleVector());
    }

    @Test
    void shardsMustAgreeAndExist() throws Exception {
        Path d = Files.createDirectory(dir.resolve("bad"));
        Files.writeString(d.resolve("a.csv"), "x,y\n1,2\n");
        Files.writeString(d.resolve("b.csv"), "x,z\n1,2\n");
        String m = assertThrows(DataFormatException.class, () -> DataFiles.load(d, null, false, DataType.FLOAT))
                .getMessage();
        assertTrue(m.contains("b.csv") && m.contains("differ") && m.contains("a.csv"), m);
        m = assertThrows(DataFormatException.class,
                () -> DataFiles.load(d.resolve("*.npy"), null, false, DataType.FLOAT)).getMessage();
        assertTrue(m.contains("no file matches"), m);
        Files.writeString(d.resolve("b.csv"), "x,y\n1,oops\n");
        m = assertThrows(DataFormatException.class, () -> DataFiles.load(d, null, false, DataType.FLOAT)).getMessage();
        assertTrue(m.contains("b.csv:2") && m.contains("oops"), m);
    }
}
