package io.ndopt.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Kills a process with SIGKILL while it writes checkpoints, at random points, many times: the last
 * complete checkpoint always loads, its contents belong to one single save, and no half-written
 * checkpoint file ever replaces a good one.
 */
class CheckpointCrashTest {
    static final int KILLS = 6;
    @TempDir Path dir;

    @Test
    void lastCompleteCheckpointSurvivesSigkill() throws Exception {
        Random rnd = new Random(2024);
        long lastSeen = 0;
        int killsDuringWrite = 0;
        for (int k = 0; k < KILLS; k++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            long saved = 0;
            for (String line; saved < 2 && (line = out.readLine()) != null; ) if (line.startsWith("saved ")) saved++;
            assertTrue(saved >= 2, "writer started and saved");
            Thread.sleep(rnd.nextInt(600));                     // somewhere inside a later save
            p.destroyForcibly();                                 // SIGKILL on Linux
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            Checkpoint.Contents c = Checkpoint.load(dir);        // verifies every checksum
            long step = c.state().globalStep();
            INDArray w = c.params().get("w"), b = c.params().get("b");
            assertEquals(step, w.minNumber().longValue(), "whole checkpoint from one save");
            assertEquals(step, w.maxNumber().longValue());
            assertEquals(step, b.maxNumber().longValue());
            assertEquals(step, ((Number) c.config().get("step")).longValue());
            assertTrue(step >= 1);
            try (var files = Files.list(dir)) {
                if (files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"))) killsDuringWrite++;
            }
            lastSeen = step;
        }
        System.out.println("checkpoint crash test: " + KILLS + " SIGKILLs survived; " + killsDuringWrite
                + " landed mid-write (a temporary file was left, the checkpoint was intact); last step " + lastSeen);
    }
}
