package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event files as TensorBoard itself reads them (its {@code EventAccumulator}, through
 * {@code src/test/resources/tensorboard/read_events.py}): the scalars equal metrics.json and compare.json. Needs a
 * Python with the {@code tensorboard} package: {@code NDOPT_TENSORBOARD_PYTHON}, else {@code python3} or
 * {@code python} on the PATH; skipped, saying why, where there is none ({@link TensorBoardCliTest} checks the
 * same files with ndopt's own reader everywhere).
 */
class TensorBoardReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String python;
    private static String whyNot;
    @TempDir Path dir;

    @BeforeAll
    static void findPython() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("NDOPT_TENSORBOARD_PYTHON");
        if (env != null && !env.isBlank()) candidates.add(env);
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("python3", "python")) {
                if (Files.isExecutable(Path.of(p, name))) candidates.add(Path.of(p, name).toString());
            }
        }
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import tensorboard").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = c;
                    return;
                }
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
        whyNot = ("no Python with the 'tensorboard' package (set NDOPT_TENSORBOARD_PYTHON, or put one on the "
                + "PATH); tried " + candidates);
    }

    private static JsonNode tensorboardRead(Path logdir) throws Exception {
        Path script = Path.of(TensorBoardReaderTest.class.getResource("/tensorboard/read_events.py").toURI());
        Process p = new ProcessBuilder(python, script.toString(), logdir.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "read_events.py timed out");
        assertEquals(0, p.exitValue(), "read_events.py failed: " + err);
        return JSON.readTree(out);
    }

    /** Every epoch scalar of {@link TensorBoardCliTest#EPOCH_TAGS} as TensorBoard reads it equals the history's. */
    private static void assertEqualsHistory(JsonNode history, JsonNode run) {
        for (Map.Entry<String, String> t : TensorBoardCliTest.EPOCH_TAGS.entrySet()) {
            JsonNode got = run.get("scalars").get(t.getKey());
            assertEquals(history.size(), got == null ? 0 : got.size(), t.getKey());
            for (int i = 0; i < history.size(); i++) {
                assertEquals(i + 1, got.get(i).get(0).asLong(), t.getKey() + " step");
                assertEquals((float) history.get(i).get(t.getValue()).asDouble(), got.get(i).get(1).asDouble(), 0.0,
                        t.getKey() + " at epoch " + (i + 1));
            }
        }
    }

    @Test
    void tensorBoardReadsTrainsScalarsHistogramsAndConfig() throws Exception {
        Assumptions.assumeTrue(python != null, whyNot);
        Path out = dir.resolve("run");
        Cli.run("train", "--dataset", "blobs", "--hidden", "16", "--optimizer", "sgd", "--lr", "0.1", "--l1", "1e-2",
                "--epochs", "3", "--batch-size", "64", "--timing-warmup", "0", "--out", out.toString()).expect(0);
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        JsonNode run = tensorboardRead(out.resolve("tensorboard")).get(".");
        assertEqualsHistory(m.get("history"), run);
        assertEquals(m.get("steps").asInt(), run.get("scalars").get("step/loss").size());
        assertEquals(3, run.get("histograms").get("weights/fc1.W").size());
        assertEquals(8 * 16, run.get("histograms").get("weights/fc1.W").get(2).get(1).asDouble(), 0.0);
        assertEquals(m.get("config"), JSON.readTree(run.get("texts").get("config").asText().replace("```", "")));
    }

    @Test
    void tensorBoardSeesOneRunPerComparedOptimizer() throws Exception {
        Assumptions.assumeTrue(python != null, whyNot);
        Path out = dir.resolve("cmp");
        Cli.run("compare", "--dataset", "moons", "--hidden", "8", "--epochs", "2", "--timing-warmup", "0",
                "--run", "adam:lr=1e-2,wd=1e-3", "--run", "adamw:lr=1e-2,wd=1e-2", "--out", out.toString()).expect(0);
        JsonNode runs = JSON.readTree(out.resolve("compare.json").toFile()).get("runs");
        JsonNode tb = tensorboardRead(out.resolve("tensorboard"));
        assertEquals(2, tb.size(), tb.toString());
        assertEqualsHistory(runs.get(0).get("history"), tb.get("1_adam_lr=1e-2,wd=1e-3"));
        assertEqualsHistory(runs.get(1).get("history"), tb.get("2_adamw_lr=1e-2,wd=1e-2"));
    }
}
