package io.ndopt.internal.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.train.EpochRecord;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compare's and train's figure: four panels in a 2×2 grid under one legend, each run in one colour in every
 * panel (checked on the pixels), a diverged run's non-finite epochs left out.
 */
class RunChartsTest {
    @TempDir Path dir;

    private static List<EpochRecord> history(double scale, double zeros, boolean diverge) {
        List<EpochRecord> h = new ArrayList<>();
        for (int e = 1; e <= 8; e++) {
            double loss = diverge && e > 6 ? Double.NaN : scale / e;
            h.add(new EpochRecord(e, 10L * e, 0.01, loss, loss + 0.1, 0.5 + 0.05 * e / scale, loss * 1.1,
                    0.5 + 0.04 * e / scale, 0.1, 0.05, scale * (1 + 0.1 * e), zeros * e / 8));
        }
        return h;
    }

    /** Pixels of colour {@code c} in the rectangle, up to antialiasing (RGB distance below 40). */
    private static int count(BufferedImage img, Color c, int x0, int y0, int w, int h) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                Color p = new Color(img.getRGB(x, y));
                int dr = p.getRed() - c.getRed(), dg = p.getGreen() - c.getGreen(), db = p.getBlue() - c.getBlue();
                if (dr * dr + dg * dg + db * db < 40 * 40) n++;
            }
        }
        return n;
    }

    @Test
    void everyPanelShowsEveryRunInItsOwnColour() throws Exception {
        Path png = RunCharts.draw(dir.resolve("compare.png"), "compare", "accuracy", List.of(
                new RunCharts.Run("adam", history(1, 0, false)), new RunCharts.Run("sgd+l1", history(2, 0.3, true))));
        assertNotNull(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(Panels.COLUMNS * Panels.PANEL_WIDTH, img.getWidth());
        int header = img.getHeight() - 2 * Panels.PANEL_HEIGHT;
        assertTrue(header > 40 && header < 150, "title and one legend row: " + header);
        for (int p = 0; p < 4; p++) {
            int x0 = (p % 2) * Panels.PANEL_WIDTH, y0 = header + (p / 2) * Panels.PANEL_HEIGHT;
            for (int run = 0; run < 2; run++) {
                int n = count(img, Panels.PALETTE[run], x0, y0, Panels.PANEL_WIDTH, Panels.PANEL_HEIGHT);
                assertTrue(n > 30, "panel " + p + " shows run " + run + " in its colour: " + n + " pixels");
            }
            assertEquals(0, count(img, Panels.PALETTE[2], x0, y0, Panels.PANEL_WIDTH, Panels.PANEL_HEIGHT),
                    "no third colour in panel " + p);
        }
        // the legend: both runs' swatches
        for (int run = 0; run < 2; run++) {
            assertTrue(count(img, Panels.PALETTE[run], 0, 0, img.getWidth(), header) > 50, "legend swatch " + run);
        }
    }

    @Test
    void epochLabelsEveryOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(1, Panels.labelStep(8));
        assertEquals(5, Panels.labelStep(30));
        assertEquals(10, Panels.labelStep(100));
        assertEquals(50, Panels.labelStep(300));
    }

    @Test
    void aSingleRunHasNoColourLegendButTheStyleKey() throws Exception {
        Path png = RunCharts.draw(dir.resolve("training.png"), "train", "R²",
                List.of(new RunCharts.Run("train", history(1, 0.2, false))));
        BufferedImage img = ImageIO.read(png.toFile());
        int header = img.getHeight() - 2 * Panels.PANEL_HEIGHT;
        assertEquals(0, count(img, Panels.PALETTE[0], 0, 0, img.getWidth(), header), "no run swatch for one run");
    }
}
