package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.internal.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code train --stream}: a resumed streamed run equals the uninterrupted one; the CLI's refusals. */
class StreamCliTest {
    @TempDir Path dir;

    private Path shards() throws Exception {
        Path d = Files.createDirectories(dir.resolve("shards"));
        SplittableRandom r = new SplittableRandom(4);
        for (int s = 0; s < 3; s++) {
            float[][] t = new float[70 + 10 * s][3];
            for (float[] row : t) {
                row[0] = (float) r.nextGaussian();
                row[1] = (float) (3 + 2 * r.nextGaussian());
                row[2] = row[0] - 0.5f * row[1];
            }
            Files.write(d.resolve("part-" + s + ".npy"), Npy.write(Nd4j.createFromArray(t)));
        }
        return d;
    }

    @Test void aStreamedRunResumesBitForBitAndRecordsItsPosition() throws Exception {
        Path data = shards();
        String[] common = {"--data", data.toString(), "--stream", "--shuffle-buffer", "50", "--hidden", "5",
            "--optimizer", "adam", "--lr", "0.01", "--batch-size", "16", "--seed", "2", "--timing-warmup", "0",
            "--tensorboard", "none"};
        Path a = dir.resolve("a"), b = dir.resolve("b");
        Cli.run(Cli.train(common, "--epochs", "3", "--out", b.toString())).expect(0);
        Cli.run(Cli.train(common, "--epochs", "1", "--checkpoint-every", "100", "--out", a.toString())).expect(0);
        Cli.run("train", "--resume", a.toString(), "--stream", "--epochs", "3", "--out", a.toString()).expect(0);
        for (String p : new String[] {"fc1.W", "fc1.b", "out.W", "out.b"}) {
            INDArray x = Npy.read(Files.readAllBytes(a.resolve("params/" + p + ".npy")), p);
            INDArray y = Npy.read(Files.readAllBytes(b.resolve("params/" + p + ".npy")), p);
            assertArrayEquals(y.ravel().toFloatVector(), x.ravel().toFloatVector(), 0f, p);
        }
        JsonNode m = new ObjectMapper().readTree(a.resolve("metrics.json").toFile());
        assertEquals(192, m.get("train_rows").asInt(), "240 rows less the 20% validation rows");
        assertEquals(48, m.get("val_rows").asInt());
        assertEquals("shard-order+window", m.get("stream").get("order").asText());
        assertEquals(50, m.get("stream").get("shuffle_buffer").asInt(), "the checkpoint's buffer");
        assertEquals(3, m.get("history").size());
    }

    @Test void refusals() throws Exception {
        Path data = shards();
        Path a = dir.resolve("a");
        String[] common = {"--data", data.toString(), "--hidden", "4", "--epochs", "1", "--batch-size", "32",
            "--timing-warmup", "0", "--tensorboard", "none"};
        Cli.run(Cli.train(common, "--shuffle-buffer", "8", "--out", dir.resolve("x").toString()))
                .expect(2, "--shuffle-buffer has no effect without --stream");
        Cli.run(Cli.train(common, "--stream", "--checkpoint-every", "100", "--out", a.toString())).expect(0);
        Cli.run("train", "--resume", a.toString(), "--epochs", "2", "--out", a.toString())
                .expect(2, "the checkpoint is of a streamed run; resume it with --stream");
        Cli.run("train", "--resume", a.toString(), "--stream", "--shuffle-buffer", "7", "--epochs", "2", "--out",
                a.toString()).expect(2, "--shuffle-buffer 7 differs from the checkpoint's 65536");
        Path empty = Files.createDirectories(dir.resolve("none"));
        Cli c = Cli.run("train", "--data", empty.toString(), "--stream", "--out", dir.resolve("y").toString());
        c.expect(1, empty.toString(), "no data file");
        assertTrue(!c.err().contains("\tat "), "no stack trace");
        Files.writeString(data.resolve("part-9.csv"), "0,1,2\n1,2,3\n4,5\n");
        Cli.run(Cli.train(common, "--stream", "--out", dir.resolve("z").toString())).expect(1, "part-9.csv:3");
    }
}
