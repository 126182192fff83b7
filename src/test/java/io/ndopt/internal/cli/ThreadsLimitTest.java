package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.backend.Threads;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --threads is bounded: neither OpenBLAS nor ND4J refuses a huge count (ND4J's OpenMP pool crashed the JVM with
 * 99999), so ndopt refuses above {@link Threads#MAX}, naming the option and the limit, before anything runs.
 */
class ThreadsLimitTest {
    @TempDir Path dir;

    @Test
    void aThreadCountAboveTheLimitIsAUsageErrorNamingOptionAndLimit() throws Exception {
        for (String t : new String[] {"99999", "2,99999", "1025"}) {
            Path out = dir.resolve("o" + t.replace(',', '_'));
            Cli.run("train", "--dataset", "moons", "--epochs", "1", "--threads", t, "--out", out.toString())
                    .expect(2, "--threads", "between 1 and 1024", "got " + t.substring(t.indexOf(',') + 1));
            assertFalse(Files.exists(out.resolve("run.json")), "nothing ran");
        }
        Path cfg = dir.resolve("run.yaml");
        Files.writeString(cfg, "threads: 99999\n");
        Cli.run("train", "--dataset", "moons", "--epochs", "1", "--config", cfg.toString(), "--out",
                dir.resolve("c").toString()).expect(2, "threads", "between 1 and 1024");
    }

    @Test
    void theLimitItselfIsAValidSplit() {
        Threads.Split s = Threads.Split.parse("1024,1024");          // parsed, not applied: no thread is started
        assertEquals(1024, s.blas());
        assertEquals(1024, s.nd4j());
        var e = assertThrows(IllegalArgumentException.class, () -> new Threads.Split(1025, 1));
        assertTrue(e.getMessage().contains("ND4J thread count must be between 1 and " + Threads.MAX), e.getMessage());
    }
}
