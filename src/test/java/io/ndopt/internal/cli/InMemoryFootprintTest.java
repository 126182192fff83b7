package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An in-memory {@code train} (not streamed) of 2 float32 {@code .npy} shards of 16 MB in a JVM with {@code -Xmx80m}
 * (which also caps the native memory ND4J may allocate): the data is hashed in blocks, its rows are gathered once into
 * the training and validation arrays and the unsplit rows freed, and both parts are standardized in place. Before,
 * the hash made three copies of the data as bytes on the heap and the split and standardization two more natively:
 * this run then needed a heap between 128 and 160 MB; now between 56 and 64 MB (the data's size is 32 MB).
 */
class InMemoryFootprintTest {
    private static final int SHARD_MB = 16;

    @TempDir Path dir;

    @Test void thirtyTwoMegabytesOfShardsTrainInMemoryUnderAnEightyMegabyteHeap() throws Exception {
        Path shards = Files.createDirectories(dir.resolve("shards"));
        int rows = (SHARD_MB << 20) / (32 * 4), n = 2 * rows;
        for (int s = 0; s < 2; s++) StreamMemoryTest.writeShard(shards.resolve("part-" + s + ".npy"), rows, s);
        long steps = (n - Math.round(n * 0.01) + 511) / 512;
        StreamMemoryTest.Run run = StreamMemoryTest.cli("-Xmx80m", List.of("train", "--data",
                shards.resolve("part-*.npy").toString(), "--epochs", "1", "--batch-size", "512", "--hidden", "8",
                "--val-split", "0.01", "--timing-warmup", "0", "--tensorboard", "none",
                "--out", dir.resolve("m").toString()));
        assertEquals(0, run.code(), run.output());
        assertTrue(run.output().contains("done: " + steps + " steps"), run.output());
        assertTrue(Files.exists(dir.resolve("m/metrics.json")));
    }
}
