package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive pages of {@code demo sparse} and {@code demo overfit}: listed in the run's manifest,
 * self-contained, their inlined numbers equal to result.json's (the final weights bit for bit, exact zeros as 0;
 * the final training and test losses), and — where a Chromium is found — loaded without a script error, with a
 * dot for every exact zero.
 */
class DemoPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode page(Path dir, String name) throws Exception {
        String html = Files.readString(dir.resolve(name));
        assertFalse(Pattern.compile("https?://(?!www\\.w3\\.org/2000/svg)").matcher(html).find(),
                "nothing loaded from the network");
        assertTrue(JSON.readTree(dir.resolve("run.json").toFile()).toString().contains("\"" + name + "\""),
                "the page is listed in the manifest");
        return TrainingPageTest.data(html);
    }

    @Test
    void sparsePagePlaysEveryWeightToTheFinalFit(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sparse");
        Cli.run("demo", "sparse", "--out", dir.toString()).expect(0);
        JsonNode r = JSON.readTree(dir.resolve("result.json").toFile()), d = page(dir, "sparse.html");
        assertEquals("sparse.html", r.get("page").asText());
        assertEquals(2, d.get("runs").size());
        assertEquals("step", d.get("unit").asText(), "a frame is a number of full-batch steps, not an epoch");
        int dots = 0;
        for (int i = 0; i < 2; i++) {
            JsonNode run = d.get("runs").get(i), weights = run.get("weights");
            assertEquals(1 + 30 + 1500 / 50, weights.size(), "the start, each of the first 30 steps, then every 50");
            JsonNode x = run.get("x");
            assertEquals(60, x.size());
            for (int f = 0; f < 30; f++) assertEquals(f + 1, x.get(f).asInt(), "frame " + f + ": after step " + (f + 1));
            for (int f = 30; f < 60; f++) assertEquals(50 * (f - 29), x.get(f).asInt(), "then every 50 steps");
            JsonNode last = weights.get(weights.size() - 1), coef = r.get(i == 0 ? "coef_l1" : "coef_l2");
            assertEquals(200, last.size(), "every weight of the linear model");
            int zeros = 0;
            for (int j = 0; j < 200; j++) {
                assertEquals(coef.get(j).asDouble(), last.get(j).asDouble(), 0.0, "weight " + j);
                if (last.get(j).asDouble() == 0.0) zeros++;
            }
            assertEquals(r.get(i == 0 ? "zeros_l1" : "zeros_l2").asInt(), zeros);
            assertEquals(100.0 * zeros / 200, run.get("zero_percent").get(59).asDouble(), 1e-12);
            dots += zeros;
        }
        assertTrue(r.get("zeros_l1").asInt() > 100, "L1 snaps most weights to exactly 0");
        String chromium = TrainingPageTest.findChromium();
        if (chromium == null) return;
        String dom = TrainingPageTest.dom(chromium, dir.resolve("sparse.html").toUri() + "#step=60");
        assertTrue(dom.contains("data-ready=\"1\"") && dom.contains("data-errors=\"0\""), dom.substring(0, 300));
        assertEquals(dots, dom.split("data-zero=\"1\"", -1).length - 1, "a dot for every exact zero at the end");
        assertTrue(dom.contains("data-step=\"1500\"") && dom.contains("step 1500 / 1500 (frame 60 of 60)"),
                "the last frame is labelled by its step");
        assertFalse(dom.contains(">epoch<") || dom.contains("epoch 60"), "no frame called an epoch");
    }

    @Test
    void overfitPageGrowsTrainingAndTestCurves(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("overfit");
        Cli.run("demo", "overfit", "--out", dir.toString()).expect(0);
        JsonNode first = JSON.readTree(dir.resolve("result.json").toFile()).get("draws").get(0);
        JsonNode d = page(dir, "overfit.html");
        assertEquals(2, d.get("runs").size());
        assertEquals("step", d.get("unit").asText());
        String[] variants = {"plain", "l2"};
        for (int i = 0; i < 2; i++) {
            JsonNode run = d.get("runs").get(i);
            assertEquals(25, run.get("x").size(), "a frame every 100 of 2500 steps");
            for (int f = 0; f < 25; f++) assertEquals(100 * (f + 1), run.get("x").get(f).asInt(), "frame " + f);
            assertEquals(26, run.get("weights").size());
            assertEquals(15, run.get("weights").get(25).size(), "the 15 polynomial coefficients");
            assertEquals(first.get("train_mse_" + variants[i]).asDouble(), run.get("train_loss").get(24).asDouble(), 0.0);
            assertEquals(first.get("test_mse_" + variants[i]).asDouble(), run.get("val_loss").get(24).asDouble(), 0.0);
            assertEquals(first.get("weight_norm_" + variants[i]).asDouble(), run.get("weight_norm").get(24).asDouble(),
                    1e-12);
        }
        String chromium = TrainingPageTest.findChromium();
        if (chromium == null) return;
        String dom = TrainingPageTest.dom(chromium, dir.resolve("overfit.html").toUri() + "#step=12");
        assertTrue(dom.contains("data-ready=\"1\"") && dom.contains("data-errors=\"0\""), dom.substring(0, 300));
        assertTrue(dom.contains("data-frame=\"12\"") && dom.contains("<polyline"), "curves drawn at frame 12");
        assertTrue(dom.contains("data-step=\"1200\"") && dom.contains("step 1200 / 2500 (frame 12 of 25)"),
                "frame 12 is step 1200");
    }
}
