package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.internal.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** schedule_free_adamw through the CLI: train, resume from a checkpoint at the eval point, compare, refusals. */
class ScheduleFreeCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    @Test
    void trainsAndResumesBitwiseFromACheckpointAtTheEvalPoint() throws Exception {
        String[] common = {"--dataset", "moons", "--hidden", "8", "--optimizer", "schedule_free_adamw", "--lr", "0.01",
                "--warmup-steps", "5", "--wd", "0.01", "--batch-size", "50", "--seed", "2"};
        Path a = dir.resolve("a"), b = dir.resolve("b");
        Cli.run(Cli.train(common, "--epochs", "4", "--out", b.toString())).expect(0);
        Cli.run(Cli.train(common, "--epochs", "2", "--checkpoint-every", "3", "--out", a.toString())).expect(0);
        Cli.run("train", "--resume", a.resolve("checkpoint").toString(), "--epochs", "4", "--out", a.toString())
                .expect(0);
        for (String p : new String[] {"fc1.W", "fc1.b", "out.W", "out.b"}) {
            INDArray x = Npy.read(Files.readAllBytes(a.resolve("params/" + p + ".npy")), p);
            INDArray y = Npy.read(Files.readAllBytes(b.resolve("params/" + p + ".npy")), p);
            assertArrayEquals(y.ravel().toFloatVector(), x.ravel().toFloatVector(), 0f, p);
        }
        JsonNode m = JSON.readTree(b.resolve("metrics.json").toFile());
        assertEquals("schedule_free_adamw", m.get("config").get("optimizer").asText());
        assertEquals(5, m.get("config").get("warmup_steps").asInt());
        assertTrue(m.get("history").get(3).get("val_metric").asDouble() > 0.7, "moons accuracy at the eval point");
    }

    @Test
    void compareTakesItBesideOtherRules() throws Exception {
        Path out = dir.resolve("cmp");
        Cli.run("compare", "--dataset", "moons", "--hidden", "8", "--epochs", "2",
                "--run", "schedule_free_adamw:lr=1e-2,warmup_steps=3,weight_lr_power=1,r=0.5",
                "--run", "adamw:lr=1e-2", "--out", out.toString()).expect(0);
        JsonNode c = JSON.readTree(out.resolve("compare.json").toFile());
        assertEquals(2, c.get("runs").size());
    }

    @Test
    void refusesFieldsItDoesNotTakeByName() {
        Cli.run("train", "--dataset", "moons", "--optimizer", "schedule_free_adamw", "--l1", "1e-3", "--epochs", "1",
                "--out", dir.resolve("x").toString()).expect(2, "l1");
        Cli.run("train", "--dataset", "moons", "--optimizer", "adamw", "--warmup-steps", "3", "--epochs", "1",
                "--out", dir.resolve("y").toString()).expect(2, "warmup_steps");
        Cli.run("train", "--dataset", "moons", "--optimizer", "schedule_free_adamw", "--amsgrad", "true", "--epochs",
                "1", "--out", dir.resolve("z").toString()).expect(2, "amsgrad");
    }
}
