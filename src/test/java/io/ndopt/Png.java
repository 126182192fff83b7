package io.ndopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ndopt.internal.plot.Plots;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Asserts that a file is a PNG that decodes to the size ndopt draws. */
public final class Png {
    private Png() {}

    public static void assertPlot(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " does not decode as an image");
        assertEquals(Plots.WIDTH, img.getWidth(), file + " width");
        assertEquals(Plots.HEIGHT, img.getHeight(), file + " height");
    }
}
