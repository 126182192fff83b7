package io.ndopt.internal.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ndopt.Png;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Charts are written whole (atomically) and survive non-finite values and empty curves. */
class PlotsTest {
    @TempDir Path dir;

    @Test
    void divergedAndEmptyCurvesStillGiveAPlot() throws Exception {
        double[] x = {1, 2, 3};
        Path p = Plots.lines(dir.resolve("l.png"), Plots.Axes.of("t", "x", "y").withLogY(), List.of(
                new Plots.Series("diverged", x, new double[] {1, Double.NaN, Double.POSITIVE_INFINITY}),
                new Plots.Series("all nan", x, new double[] {Double.NaN, Double.NaN, Double.NaN}),
                new Plots.Series("empty", new double[0], new double[0])));
        Png.assertPlot(p);
        Png.assertPlot(Plots.lines(dir.resolve("e.png"), Plots.Axes.of("t", "x", "y").withLogX(), List.of()));
        Png.assertPlot(Plots.histogram(dir.resolve("h.png"), "h", "w", List.of("a"),
                List.of(new double[] {Double.NaN, 0, 1}), 10));
        Png.assertPlot(Plots.lines(dir.resolve("m.png"), Plots.Axes.of("t", "x", "y").withLogX()
                .withMark(1e-3, "chosen"), List.of(new Plots.Series("v", new double[] {1e-4, 1e-3, 1e-2},
                        new double[] {2, 1, 3}))));
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count(), "four PNGs and no temporaries");
        }
    }
}
