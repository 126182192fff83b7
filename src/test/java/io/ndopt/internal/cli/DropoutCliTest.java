package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --dropout and --threads on train: accepted, recorded in the config, and bad values are usage errors
 * naming the option.
 */
class DropoutCliTest {
    @TempDir Path dir;

    private static String[] run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        System.setErr(new PrintStream(err));
        try {
            return new String[] {String.valueOf(Main.run(args)), err.toString()};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainWithPerLayerDropout() throws Exception {
        Path out = dir.resolve("run");
        String[] r = run("train", "--dataset", "moons", "--hidden", "16,8", "--dropout", "0.2,0.1", "--threads", "2,1",
                "--epochs", "2", "--out", out.toString());
        assertEquals("0", r[0], r[1]);
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode rates = m.get("config").get("dropout");
        assertEquals(2, rates.size(), rates.toString());
        assertEquals(0.2, rates.get(0).asDouble());
        assertEquals(0.1, rates.get(1).asDouble());
        assertEquals(2, m.get("history").size());
    }

    @Test
    void badDropoutIsAUsageError() {
        String[] r = run("train", "--hidden", "16,8", "--dropout", "0.2,0.1,0.3", "--epochs", "1", "--out",
                dir.resolve("a").toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("dropout needs one rate or one per hidden layer (2)"), r[1]);
        r = run("train", "--hidden", "16", "--dropout", "1", "--epochs", "1", "--out", dir.resolve("b").toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("dropout") && r[1].contains("[0, 1)"), r[1]);
        r = run("train", "--hidden", "16", "--threads", "0", "--epochs", "1", "--out", dir.resolve("c").toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("BLAS thread count must be between 1 and 1024"), r[1]);
    }
}
