package io.ndopt.internal.plot;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM that cannot draw (no font, as on bare GPU servers) skips the charts, says why, and writes nothing. */
class PlotsUnavailableTest {
    @TempDir Path dir;

    @AfterEach void back() { Plots.assumeUnavailable(Plots.probe(() -> { })); }

    @Test void theProbeNamesTheFailureAndTheFix() {
        assertNull(Plots.probe(() -> { }));
        String why = Plots.probe(() -> { throw new RuntimeException("Fontconfig head is null"); });
        assertTrue(why.contains("Fontconfig head is null") && why.contains("fonts-dejavu-core"), why);
        String link = Plots.probe(() -> { throw new UnsatisfiedLinkError("libfreetype.so.6"); });
        assertTrue(link.contains("UnsatisfiedLinkError") && link.contains("libfreetype"), link);
    }

    @Test void withoutFontsNothingIsWrittenAndNullReturned() throws Exception {
        Plots.assumeUnavailable("no font");
        List<Plots.Series> s = List.of(new Plots.Series("a", new double[] {1, 2}, new double[] {3, 4}));
        assertNull(Plots.lines(dir.resolve("x.png"), Plots.Axes.of("t", "x", "y"), s));
        assertFalse(Files.exists(dir.resolve("x.png")));
        Plots.assumeUnavailable(null);
        assertEquals(dir.resolve("y.png"), Plots.lines(dir.resolve("y.png"), Plots.Axes.of("t", "x", "y"), s));
        assertTrue(Files.size(dir.resolve("y.png")) > 0);
    }
}
