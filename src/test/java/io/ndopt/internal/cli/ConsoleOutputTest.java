package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compare's console: the optimizer summary once per run (not once per optimizer build), thread counts in
 * words that agree with what ran, the timing column's meaning; the warm-up changes no result.
 */
class ConsoleOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private static String[] compare(Path out, String warmup) {
        return new String[] {"compare", "--dataset", "moons", "--hidden", "8", "--epochs", "3",
                "--timing-warmup", warmup, "--run", "adam:lr=1e-2,wd=1e-3", "--run", "adamw:lr=1e-2,wd=1e-2",
                "--out", out.toString()};
    }

    private static int count(String text, String fragment) {
        return text.split(Pattern.quote(fragment), -1).length - 1;
    }

    @Test
    void eachFactOnce() {
        Cli c = Cli.run(compare(dir.resolve("a"), "20")).expect(0);
        assertEquals(1, count(c.out(), "run adam:lr=1e-2,wd=1e-3: decayed/regularized"), c.out());
        assertEquals(1, count(c.out(), "run adamw:lr=1e-2,wd=1e-2: decayed/regularized"), c.out());
        assertEquals(2, count(c.out(), "decayed/regularized"), c.out());
        assertEquals(1, count(c.out(), "| backend "), "the set-up once:\n" + c.out());
        assertEquals(1, count(c.out(), "config: "), c.out());
        assertEquals(0, count(c.err(), "decayed/regularized"), "no log line per optimizer build:\n" + c.err());
        assertFalse(c.out().contains("1 threads"), c.out());
        assertTrue(c.out().contains("threads: BLAS "), c.out());
        assertEquals(1, count(c.out(), "warm-up: up to 20 steps"), c.out());
        assertTrue(c.out().contains("ms/step: median over epochs 2..3"), c.out());
    }

    @Test
    void theWarmUpChangesNoResult() throws Exception {
        Cli.run(compare(dir.resolve("w0"), "0")).expect(0);
        Cli.run(compare(dir.resolve("w1"), "40")).expect(0);
        JsonNode a = JSON.readTree(dir.resolve("w0/compare.json").toFile()).get("runs");
        JsonNode b = JSON.readTree(dir.resolve("w1/compare.json").toFile()).get("runs");
        for (int r = 0; r < 2; r++) {
            for (String k : new String[] {"train_loss", "val_loss", "weight_norm"}) {
                assertEquals(a.get(r).get(k).asDouble(), b.get(r).get(k).asDouble(), 0.0, k + " of run " + r);
            }
        }
    }
}
