package io.ndopt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.internal.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A streamed table: the in-memory split's validation rows, standardization equal to the in-memory one, the
 * documented epoch order (the in-memory one with a full buffer), restart at any batch, errors by shard and line.
 */
class StreamingDatasetTest {
    @TempDir Path dir;

    /** Three shards (CSV, .npy, CSV) of 3 features + a target, the first feature offset by 100. */
    static Path shards(Path dir, int rows, DataType dt) throws Exception {
        Path d = Files.createDirectories(dir.resolve("shards" + rows));
        SplittableRandom r = new SplittableRandom(7);
        int[] sizes = {rows / 3, rows / 3, rows - 2 * (rows / 3)};
        for (int s = 0; s < 3; s++) {
            double[][] t = new double[sizes[s]][4];
            StringBuilder csv = new StringBuilder("0,1,2,3\n");
            for (double[] row : t) {
                row[0] = 100 + r.nextDouble();
                row[1] = r.nextGaussian() * 3;
                row[2] = 5;                                   // constant: std 1
                row[3] = row[0] - 100 + 0.5 * row[1] + 0.01 * r.nextGaussian();
                if (dt == DataType.FLOAT) for (int c = 0; c < 4; c++) row[c] = (float) row[c];
                csv.append(row[0]).append(',').append(row[1]).append(',').append(row[2]).append(',').append(row[3])
                        .append('\n');
            }
            if (s == 1) Files.write(d.resolve("part-1.npy"), Npy.write(Nd4j.createFromArray(t)));
            else Files.writeString(d.resolve("part-" + s + ".csv"), csv);
        }
        return d;
    }

    @Test void standardizationAndValidationRowsEqualTheInMemorySplit() throws Exception {
        Path d = shards(dir, 301, DataType.DOUBLE);
        StreamingDataset s = StreamingDataset.open(d, "3", false, DataType.DOUBLE, 0.2, 11, 50);
        Dataset[] parts = DataFiles.load(d, "3", false, DataType.DOUBLE).split(0.2, 11);
        assertEquals(parts[0].size(), s.trainRows());
        Standardizer mem = Standardizer.fit(parts[0].x());
        double[] m1 = s.standardizer().mean().toDoubleVector(), m2 = mem.mean().toDoubleVector();
        double[] s1 = s.standardizer().std().toDoubleVector(), s2 = mem.std().toDoubleVector();
        for (int j = 0; j < 3; j++) {
            assertEquals(m2[j], m1[j], 1e-12 * Math.abs(m2[j]), "mean " + j);
            assertEquals(s2[j], s1[j], 1e-12 * Math.abs(s2[j]), "std " + j);
        }
        assertEquals(1.0, s1[2], 0.0, "a constant column keeps std 1");
        Dataset val = s.standardizer().apply(parts[1]);
        assertEquals(val.x(), s.validation().x(), "validation features, in the split's order");
        assertEquals(val.y(), s.validation().y());
    }

    @Test void aFullBufferGivesTheInMemoryOrderBitForBit() throws Exception {
        Path d = shards(dir, 200, DataType.FLOAT);
        StreamingDataset s = StreamingDataset.open(d, null, false, DataType.FLOAT, 0.25, 3, 1 << 20);
        assertTrue(s.fullPermutation());
        Dataset train = s.standardizer().apply(DataFiles.load(d, null, false, DataType.FLOAT).split(0.25, 3)[0]);
        for (int e = 0; e < 2; e++) {
            Dataset want = train.rows(Dataset.permutation(train.size(), 3 * 1_000_003L + e));
            assertEquals(want.x(), rows(s, e, 0, 32).x(), "epoch " + e);
            assertEquals(want.y(), rows(s, e, 0, 32).y(), "epoch " + e);
        }
    }

    @Test void windowsShuffleEveryTrainingRowOnceAndRestartAtAnyBatch() throws Exception {
        Path d = shards(dir, 240, DataType.DOUBLE);
        StreamingDataset s = StreamingDataset.open(d, null, false, DataType.DOUBLE, 0.1, 5, 37);
        assertEquals(216, s.trainRows());
        Dataset e0 = rows(s, 0, 0, 10), e1 = rows(s, 1, 0, 10);
        assertArrayEquals(sorted(s.standardizer().apply(DataFiles.load(d, null, false, DataType.DOUBLE).split(0.1, 5)[0]).y()),
                sorted(e0.y()), "each training row once");
        assertArrayEquals(sorted(e0.y()), sorted(e1.y()));
        assertNotEquals(e0.y(), e1.y(), "epochs differ");
        for (int b : new int[] {1, 3, 4, 7, 21}) {       // batch 3 starts window 0's row 30, batch 4 crosses into window 1
            Dataset tail = rows(s, 1, b, 10);
            assertEquals(e1.y().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b * 10, 216)), tail.y(), "from " + b);
        }
        assertEquals(0, rows(s, 1, 22, 10).size(), "past the end: nothing");
        var pos = s.position(1, 4, 10);
        assertEquals(1L, pos.get("window"));
        assertEquals(3L, pos.get("window_offset"));
        assertEquals(3, ((List<?>) pos.get("shard_order")).size());
    }

    @Test void classificationTargetsAndOneHot() throws Exception {
        Path f = dir.resolve("c.csv");
        Files.writeString(f, "x,k\n0.5,0\n1.5,2\n2.5,1\n3.5,2\n4.5,0\n");
        StreamingDataset s = StreamingDataset.open(f, "k", true, DataType.DOUBLE, 0, 1, 100);
        assertEquals(3, s.classes());
        assertEquals(3, s.outputs());
        assertEquals(5, rows(s, 0, 0, 2).size());
        Files.writeString(f, "x,k\n0.5,0\n1.5,1\n");
        StreamingDataset two = StreamingDataset.open(f, "k", true, DataType.DOUBLE, 0, 1, 100);
        assertEquals(1, two.outputs());
        assertEquals(2, two.oneHot().outputs());
        assertEquals(2, rows(two.oneHot(), 0, 0, 2).outputs());
        Files.writeString(f, "x,k\n0.5,0\n1.5,2\n");
        String m = assertThrows(DataFormatException.class,
                () -> StreamingDataset.open(f, "k", true, DataType.DOUBLE, 0, 1, 100)).getMessage();
        assertTrue(m.contains("class 1 is missing"), m);
    }

    @Test void badShardsAreNamedWithFileAndLine() throws Exception {
        Path d = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(d.resolve("a.csv"), "x,y\n1,2\n3,4\n");
        Files.writeString(d.resolve("b.csv"), "x,y\n1,2\n3,zz\n");
        String m = assertThrows(DataFormatException.class,
                () -> StreamingDataset.open(d, null, false, DataType.FLOAT, 0, 1, 10)).getMessage();
        assertTrue(m.contains("b.csv:3") && m.contains("zz"), m);
        Files.writeString(d.resolve("b.csv"), "x,z\n1,2\n");
        m = assertThrows(DataFormatException.class,
                () -> StreamingDataset.open(d, null, false, DataType.FLOAT, 0, 1, 10)).getMessage();
        assertTrue(m.contains("b.csv") && m.contains("differ"), m);
        Files.delete(d.resolve("b.csv"));
        Files.writeString(d.resolve("a.csv"), "0,1\n1,2\n3,4\n");
        Files.write(d.resolve("c.npy"), Npy.write(Nd4j.createFromArray(new double[][] {{1, 2}, {Double.NaN, 3}})));
        m = assertThrows(DataFormatException.class,
                () -> StreamingDataset.open(d, null, false, DataType.FLOAT, 0, 1, 10)).getMessage();
        assertTrue(m.contains("c.npy") && m.contains("row 2") && m.contains("non-finite"), m);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        m = assertThrows(DataFormatException.class,
                () -> StreamingDataset.open(empty, null, false, DataType.FLOAT, 0, 1, 10)).getMessage();
        assertTrue(m.contains("empty") && m.contains("no data file"), m);
        m = assertThrows(DataFormatException.class,
                () -> StreamingDataset.open(d.resolve("*.parquet"), null, false, DataType.FLOAT, 0, 1, 10)).getMessage();
        assertTrue(m.contains("*.parquet") && m.contains("no file matches"), m);
    }

    @Test void aReadErrorReachesTheConsumerAndCloseStopsTheThread() throws Exception {
        Path d = shards(dir, 300, DataType.DOUBLE);
        StreamingDataset s = StreamingDataset.open(d, null, false, DataType.DOUBLE, 0, 1, 1000);
        Files.writeString(d.resolve("part-2.csv"), "0,1,2,3\n1,2,3,4\n1,2,x,4\n");    // changed after opening
        try (StreamingDataset.Batches b = s.batches(0, 0, 7)) {
            String m = assertThrows(DataFormatException.class, () -> { while (b.hasNext()) b.next(); }).getMessage();
            assertTrue(m.contains("part-2.csv:3"), m);
        }
        StreamingDataset ok = StreamingDataset.open(shards(dir, 30, DataType.DOUBLE), null, false, DataType.DOUBLE, 0, 1, 10);
        StreamingDataset.Batches b = ok.batches(0, 0, 1);
        b.next();
        b.close();                                             // mid-epoch, the reader blocked on a full queue
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("ndopt-prefetch")
                && t.isAlive()), "no reader thread left");
    }

    /** Every batch of epoch {@code e} from batch {@code from}, stacked. */
    static Dataset rows(StreamingDataset s, int e, int from, int bs) {
        List<INDArray> xs = new ArrayList<>(), ys = new ArrayList<>();
        try (StreamingDataset.Batches b = s.batches(e, from, bs)) {
            while (b.hasNext()) {
                Dataset d = b.next();
                assertTrue(d.size() == bs || !b.hasNext(), "only the last batch is short");
                xs.add(d.x());
                ys.add(d.y());
            }
        }
        if (xs.isEmpty()) return new Dataset(Nd4j.zeros(s.dtype(), 0, s.features()), Nd4j.zeros(s.dtype(), 0, 1), 0);
        return new Dataset(Nd4j.vstack(xs), Nd4j.vstack(ys), s.classes());
    }

    private static double[] sorted(INDArray y) {
        double[] v = y.ravel().toDoubleVector();
        Arrays.sort(v);
        return v;
    }
}
