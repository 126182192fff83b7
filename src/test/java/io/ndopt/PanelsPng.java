package io.ndopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ndopt.internal.plot.Panels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Asserts that a file is a PNG figure of panels ({@link Panels}) with {@code rows} rows of panels. */
public final class PanelsPng {
    private PanelsPng() {}

    public static void assertFigure(Path file, int rows) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " does not decode as an image");
        assertEquals(Panels.COLUMNS * Panels.PANEL_WIDTH, img.getWidth(), file + " width");
        int header = img.getHeight() - rows * Panels.PANEL_HEIGHT;
        if (header < 40 || header > 200) throw new AssertionError(file + ": " + img.getHeight() + " px high");
    }
}
