package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result files: every key snake_case, NaN written as null, the config binds back as a config file. */
class OutputFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private static void assertSnakeCase(JsonNode n, String path) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                assertTrue(e.getKey().matches("[a-z][a-z0-9_]*"), "key '" + e.getKey() + "' at " + path);
                assertSnakeCase(e.getValue(), path + "." + e.getKey());
            });
        } else if (n.isArray()) {
            n.forEach(c -> assertSnakeCase(c, path + "[]"));
        } else {
            assertTrue(!n.isTextual() || !n.asText().equalsIgnoreCase("nan"), "NaN as a string at " + path);
        }
    }

    @Test
    void metricsAreSnakeCaseWithNullForNaNAndTheirConfigRunsAgain() throws Exception {
        Path out = dir.resolve("r");
        Cli.run("train", "--dataset", "blobs", "--hidden", "4", "--epochs", "2", "--val-split", "0", "--out",
                out.toString()).expect(0);
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertSnakeCase(m, "metrics");
        JsonNode h = m.get("history").get(1);
        assertTrue(h.has("train_loss") && h.get("val_loss").isNull(), h.toString());
        Path cfg = dir.resolve("again.json");
        JSON.writeValue(cfg.toFile(), m.get("config"));
        Path again = dir.resolve("again");
        Cli.run("train", "--config", cfg.toString(), "--out", again.toString()).expect(0);
        assertEquals(m.get("config"), JSON.readTree(again.resolve("metrics.json").toFile()).get("config"));
        assertSnakeCase(JSON.readTree(out.resolve(RunFolder.MANIFEST).toFile()), "run");
    }

    @Test
    void compareJsonIsWrittenAfterEveryRun() throws Exception {
        Path out = dir.resolve("c");
        Cli.run("compare", "--dataset", "blobs", "--hidden", "4", "--epochs", "1", "--lr", "0.01", "--run", "sgd",
                "--run", "adam:betas=0.8/0.9",
                "--out", out.toString()).expect(0);
        JsonNode c = JSON.readTree(out.resolve("compare.json").toFile());
        assertSnakeCase(c, "compare");
        assertTrue(c.get("complete").asBoolean());
        assertEquals(0.01, c.get("runs").get(0).get("optimizer").get("lr").asDouble(), "shared --lr reaches every run");
        assertEquals(0.8, c.get("runs").get(1).get("optimizer").get("betas").get(0).asDouble());
    }
}
