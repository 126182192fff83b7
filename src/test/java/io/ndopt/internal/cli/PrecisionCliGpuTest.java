package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.internal.device.FakeCuda;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --precision} on the device end to end over the stand-in driver (JDK 22+): train and compare run in bf16/fp16,
 * the run files record it (fp16: the loss scale), a checkpoint resumes in fp16; float64 is refused before anything
 * is written.
 */
class PrecisionCliGpuTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TRAIN = {"--dataset", "blobs", "--hidden", "8", "--optimizer", "adam", "--lr", "0.01",
        "--batch-size", "64", "--seed", "5", "--device", "cuda:0"};
    @TempDir Path dir;

    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void cpu() { FakeCuda.restore(); }

    @Test void trainAndCompareInBf16AndFp16() throws Exception {
        Path b = dir.resolve("bf16"), f = dir.resolve("fp16");
        Cli.run(Cli.train(TRAIN, "--precision", "bf16", "--epochs", "2", "--out", b.toString())).expect(0);
        JsonNode mb = JSON.readTree(b.resolve("metrics.json").toFile());
        assertEquals("bf16", mb.get("config").get("precision").asText());
        assertNull(mb.get("loss_scale"), "no loss scaling in bf16");
        Cli.run(Cli.train(TRAIN, "--precision", "fp16", "--epochs", "2", "--checkpoint-every", "5", "--out",
                f.toString())).expect(0);
        JsonNode mf = JSON.readTree(f.resolve("metrics.json").toFile());
        assertEquals("fp16", mf.get("config").get("precision").asText());
        assertEquals(65536.0, mf.get("loss_scale").get("scale").asDouble());
        assertTrue(Files.exists(f.resolve("checkpoint/checkpoint.zip")));
        Path r = dir.resolve("resumed");
        Cli.run(Cli.train(TRAIN, "--precision", "fp16", "--epochs", "3", "--resume", f.toString(), "--out",
                r.toString())).expect(0);
        assertEquals(3, JSON.readTree(r.resolve("metrics.json").toFile()).get("history").size());
        Path c = dir.resolve("cmp");
        Cli.run("compare", "--dataset", "blobs", "--hidden", "8", "--epochs", "1", "--device", "cuda:0", "--precision",
                "bf16", "--run", "adam:lr=0.01", "--run", "sgd:lr=0.1", "--out", c.toString()).expect(0);
    }

    @Test void float64IsRefused() {
        Path out = dir.resolve("f64");
        Cli.run(Cli.train(TRAIN, "--dtype", "float64", "--precision", "fp16", "--epochs", "1", "--out", out.toString()))
                .expect(Main.EXIT_USAGE, "--precision", "precision fp16 needs dtype float32, not float64");
        assertFalse(Files.exists(out));
    }
}
