package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compare's interactive page: self-contained (nothing fetched over the network), its inlined data equal to
 * compare.json with a weight sample per epoch, and — where a Chromium is found ({@code NDOPT_CHROMIUM}, else
 * chromium, chromium-browser or google-chrome on the PATH) — loaded in headless Chromium without a script
 * error, at the epoch asked for, with the L1 run's exact zeros drawn as dots.
 */
class TrainingPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path out;
    private static String chromium;

    @BeforeAll
    static void compare(@TempDir Path dir) {
        out = dir.resolve("cmp");
        Cli.run("compare", "--dataset", "moons", "--hidden", "16", "--epochs", "6", "--timing-warmup", "0",
                "--run", "adam:lr=3e-3,wd=1e-2", "--run", "sgd:lr=0.1,l1=3e-2", "--out", out.toString()).expect(0);
        chromium = findChromium();
    }

    /** {@code NDOPT_CHROMIUM}, else chromium, chromium-browser or google-chrome on the PATH; null if none. */
    static String findChromium() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("NDOPT_CHROMIUM");
        if (env != null && !env.isBlank()) candidates.add(env);
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String n : List.of("chromium", "chromium-browser", "google-chrome")) candidates.add(p + "/" + n);
        }
        return candidates.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst().orElse(null);
    }

    /** The page's inlined data block. */
    static JsonNode data(String html) throws Exception {
        Matcher m = Pattern.compile("<script id=\"data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(m.find(), "the data block");
        return JSON.readTree(m.group(1));
    }

    @Test
    void selfContainedWithTheRunsData() throws Exception {
        String html = Files.readString(out.resolve("compare.html"));
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//").matcher(html).find(),
                "nothing loaded from the network");
        JsonNode d = data(html);
        JsonNode runs = JSON.readTree(out.resolve("compare.json").toFile()).get("runs");
        assertEquals(2, d.get("runs").size());
        assertEquals("epoch", d.get("unit").asText(), "compare's frames are epochs");
        for (int i = 0; i < 2; i++) {
            JsonNode h = runs.get(i).get("history"), r = d.get("runs").get(i);
            assertEquals(runs.get(i).get("run").asText(), r.get("name").asText());
            for (int e = 0; e < h.size(); e++) {
                assertEquals(h.get(e).get("val_loss").asDouble(), r.get("val_loss").get(e).asDouble(), 0.0);
                assertEquals(100 * h.get(e).get("zero_fraction").asDouble(), r.get("zero_percent").get(e).asDouble(),
                        1e-12);
            }
            assertEquals(h.size() + 1, r.get("weights").size(), "the weights at the start and after every epoch");
            for (int e = 0; e < h.size(); e++) assertEquals(e + 1, r.get("x").get(e).asInt(), "epoch of frame " + e);
            assertEquals("fc1.W", r.get("layer").asText());
        }
        JsonNode last = d.get("runs").get(1).get("weights").get(6);
        int zeros = 0;
        for (JsonNode w : last) if (w.asDouble() == 0.0) zeros++;
        assertTrue(zeros > 0, "the l1 run's sample has exact zeros to draw: " + last);
    }

    @Test
    void sweepsPageHasASliderOverTheGrid(@TempDir Path dir) throws Exception {
        Path sw = dir.resolve("sw");
        Cli.run("sweep", "--dataset", "poly", "--hidden", "none", "--optimizer", "adam", "--lr", "0.05", "--epochs", "3",
                "--penalty", "l2", "--lambdas", "1e-3,1e-1", "--folds", "2", "--out", sw.toString()).expect(0);
        JsonNode d = data(Files.readString(sw.resolve("sweep.html")));
        assertEquals("l2", d.get("slider").get("label").asText());
        assertEquals(List.of("0.00100", "0.100"), List.of(d.get("slider").get("values").get(0).asText(),
                d.get("slider").get("values").get(1).asText()));
        assertEquals(2, d.get("runs").size(), "one run per grid point (its first fold)");
        assertEquals(4, d.get("runs").get(1).get("weights").size(), "start + 3 epochs");
        if (chromium == null) return;
        String dom = dom(sw.resolve("sweep.html").toUri() + "#step=2&select=1");
        assertTrue(dom.contains("data-errors=\"0\"") && dom.contains("data-selected=\"1\""), dom.substring(0, 300));
        assertTrue(dom.contains(">0.100<"), "the slider's value shown");
    }

    private static String dom(String url) throws Exception { return dom(chromium, url); }

    /** The page's DOM after its scripts ran, from headless Chromium. */
    static String dom(String chromium, String url) throws Exception {
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return dom;
    }

    @Test
    void loadsInHeadlessChromiumAtTheEpochAsked() throws Exception {
        Assumptions.assumeTrue(chromium != null, "no Chromium (set NDOPT_CHROMIUM or put chromium on the PATH)");
        String dom = dom(out.resolve("compare.html").toUri() + "#step=4");
        assertTrue(dom.contains("data-ready=\"1\""), "the script ran to its end:\n" + dom.substring(0, 300));
        assertTrue(dom.contains("data-errors=\"0\""), "no script error");
        assertTrue(dom.contains("data-epoch=\"4\""), "at epoch 4");
        assertTrue(dom.contains("epoch 4 / 6"), "the epoch shown");
        assertTrue(dom.contains("<polyline"), "curves drawn");
        JsonNode d = data(Files.readString(out.resolve("compare.html")));
        int zeros = 0;
        for (JsonNode w : d.get("runs").get(1).get("weights").get(4)) if (w.asDouble() == 0.0) zeros++;
        int dots = dom.split("data-zero=\"1\"", -1).length - 1;
        assertEquals(zeros, dots, "a dot for every exact zero of the l1 run at epoch 4 (the adam run has none)");
    }
}
