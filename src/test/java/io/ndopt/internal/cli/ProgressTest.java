package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.train.EpochRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress bar's text and ETA, and plain lines (no carriage returns) when stdout is not a terminal. */
class ProgressTest {
    @Test
    void barShowsTheFractionDoneAndTheTimeLeftAtTheRateSoFar() {
        // a quarter done after 30 s: 90 s to go
        String b = Progress.bar("adam", 3, 5, 25, 0.25, 0.4321, 30);
        assertEquals("adam epoch 3 batch 5/25 [########......................]  25% loss 0.4321 ETA 1m30s", b);
        assertTrue(Progress.bar("x", 1, 1, 1, 0, 1, 5).endsWith("ETA ?"), "nothing done yet: no estimate");
        assertEquals("2h05m", Progress.duration(7500));
        assertEquals("59s", Progress.duration(59));
    }

    @Test
    void notATerminalPrintsOnePlainLinePerEpochAndNoBar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 100, true, false).run("adam");
        for (int s = 1; s <= 10; s++) p.onStep(0, s - 1, 10, s, 0.5);
        p.onEpoch(new EpochRecord(1, 10, 0.01, 0.5, 0.6, 0.8, Double.NaN, Double.NaN, 0.1, 0.01, 2.0, 0.0), 10);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("adam epoch 1/10 step 10 "), text);
    }

    @Test
    void sweepFoldsPrintNoEpochLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 100, false, false).run("f1");
        p.onEpoch(new EpochRecord(1, 10, 0.01, 0.5, 0.6, 0.8, Double.NaN, Double.NaN, 0.1, 0.01, 2.0, 0.0), 10);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
