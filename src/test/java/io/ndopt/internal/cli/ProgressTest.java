package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.train.EpochRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    @Test
    void pathsFitsPrintAPlainLineAtEachTenthWithoutABar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0, false, false).run("path");
        for (int done = 1; done <= 250; done++) p.onFit(done, 250);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), text);
        List<String> lines = text.lines().toList();
        assertEquals(10, lines.size(), text);
        for (int t = 1; t <= 10; t++) {
            assertTrue(lines.get(t - 1).startsWith("path: " + 25 * t + "/250 fits (" + 10 * t + "%) after "),
                    lines.get(t - 1));
        }
        assertTrue(lines.get(9).endsWith("ETA 0.0s"), lines.get(9));
        ByteArrayOutputStream few = new ByteArrayOutputStream();
        Progress q = new Progress(new PrintStream(few, true, StandardCharsets.UTF_8), 0, false, false).run("path");
        for (int done = 1; done <= 3; done++) q.onFit(done, 3);
        assertEquals(3, few.toString(StandardCharsets.UTF_8).lines().count(), "fewer fits than tenths: one line each");
    }

    @Test
    void pathsBarCountsFitsAndEstimatesTheRest() {
        assertEquals("path + 5-fold CV [######........................] 120/600 fits  20% ETA 8.0s",
                Progress.fitBar("path + 5-fold CV", 120, 600, 2));
        assertEquals("path: 120/600 fits (20%) after 2.0s, ETA 8.0s", Progress.fitLine("path", 120, 600, 2));
    }
}
