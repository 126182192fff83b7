package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * path's progress when stdout is not a terminal (as in the tests): plain lines, one per tenth of the fits, counting
 * every α of every CV fold and of the full data, before the summary; no carriage return.
 */
class PathProgressTest {
    @TempDir Path dir;

    private static List<String> progressLines(String out, String label) {
        return out.lines().filter(l -> l.startsWith(label + ": ") && l.contains(" fits (")).toList();
    }

    @Test
    void plainLinesCountEveryFitOfTheFoldsAndTheFullPath() {
        Cli r = Cli.run("path", "--dataset", "diabetes", "--model", "lasso", "--cv", "5", "--out",
                dir.resolve("cv").toString()).expect(0);
        assertFalse(r.out().contains("\r"), r.out());
        List<String> lines = progressLines(r.out(), "path + 5-fold CV");
        assertEquals(10, lines.size(), r.out());
        for (int t = 1; t <= 10; t++) {
            assertTrue(lines.get(t - 1).startsWith("path + 5-fold CV: " + 60 * t + "/600 fits (" + 10 * t + "%)"),
                    lines.get(t - 1));
        }
        assertTrue(r.out().indexOf(lines.get(9)) < r.out().indexOf("path: lasso, 100 lambdas"), "before the summary");
    }

    @Test
    void withoutCvEachLambdaIsOneFit() {
        Cli r = Cli.run("path", "--dataset", "diabetes", "--model", "ridge", "--lambdas", "0.1,1,10,100", "--out",
                dir.resolve("ridge").toString()).expect(0);
        List<String> lines = progressLines(r.out(), "path");
        assertEquals(4, lines.size(), "fewer fits than tenths: a line per fit\n" + r.out());
        assertTrue(lines.get(3).startsWith("path: 4/4 fits (100%)"), lines.get(3));
    }
}
