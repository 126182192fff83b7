package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.data.ParquetFixture;
import io.ndopt.internal.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** The same table as CSV, .npy and Parquet (columns a, b, y there) gives the same train and path results. */
class DataFormatsCliTest {
    private static final double[][] ROWS = {{1, 0.5, 2}, {2, 1.5, 4.5}, {3, -1, 6}, {4, 2, 8.25}, {5, 3, 10},
        {6, 1, 12}, {7, -2, 13.5}, {8, 0, 16}};

    @TempDir Path dir;

    private List<Path> files() throws Throwable {
        StringBuilder csv = new StringBuilder("0,1,2\n");
        Object[][] cells = new Object[ROWS.length][];
        for (int i = 0; i < ROWS.length; i++) {
            csv.append(ROWS[i][0]).append(',').append(ROWS[i][1]).append(',').append(ROWS[i][2]).append('\n');
            cells[i] = new Object[] {ROWS[i][0], ROWS[i][1], ROWS[i][2]};
        }
        Path c = Files.writeString(dir.resolve("t.csv"), csv);
        Path n = Files.write(dir.resolve("t.npy"), Npy.write(Nd4j.createFromArray(ROWS)));
        Path p = ParquetFixture.write(dir.resolve("t.parquet"), "message m { required double a; required double b; required double y; }", CompressionCodecName.SNAPPY, 1 << 20, cells);
        return List.of(c, n, p);
    }

    private static byte[] bytes(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void trainAndPathReadEveryFormatToTheSameNumbers() throws Throwable {
        List<Path> inputs = files();
        byte[][] params = new byte[inputs.size()][];
        String[] paths = new String[inputs.size()];
        for (int k = 0; k < inputs.size(); k++) {
            Path out = dir.resolve("train" + k);
            Cli.run("train", "--data", inputs.get(k).toString(), "--hidden", "none", "--epochs", "3",
                    "--dtype", "float64", "--out", out.toString()).expect(0);
            try (Stream<Path> s = Files.list(out.resolve("params"))) {
                params[k] = s.sorted().map(DataFormatsCliTest::bytes).reduce(new byte[0], (a, b) -> {
                    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
                    System.arraycopy(b, 0, r, a.length, b.length);
                    return r;
                });
            }
            Path po = dir.resolve("path" + k);
            Cli.run("path", "--data", inputs.get(k).toString(), "--target", k == 2 ? "y" : "2", "--model", "lasso", "--grid", "1e-2:1:4",
                    "--out", po.toString()).expect(0);
            paths[k] = Files.readString(po.resolve("path.json")).replace(inputs.get(k).toString(), "DATA")
                    .replace("\"a\"", "\"0\"").replace("\"b\"", "\"1\"").replace("\"y\"", "\"2\"");
        }
        assertTrue(params[0].length > 0);
        for (int k = 1; k < inputs.size(); k++) {
            assertArrayEquals(params[0], params[k], inputs.get(k).toString());
            org.junit.jupiter.api.Assertions.assertEquals(paths[0], paths[k], inputs.get(k).toString());
        }
    }
}
