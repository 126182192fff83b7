package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep's grid: runs × λ × folds × seeds, one sweep.json entry per cell, each cell independent of the grid. */
class SweepGridTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private static final List<String> BASE = List.of("--dataset", "moons", "--hidden", "8", "--epochs", "2",
            "--batch-size", "64", "--penalty", "l2", "--folds", "3", "--tensorboard", "none");

    @Test
    void aOneRunGridKeepsTodaysKeysAndListsEveryCell() throws Exception {
        JsonNode s = sweep("one", "--optimizer", "adam", "--lr", "0.01", "--lambdas", "0,0.1");
        for (String key : List.of("config", "penalty", "folds", "complete", "lambdas", "val_loss_mean", "val_loss_std",
                "train_loss_mean", "best_lambda")) {
            assertTrue(s.has(key), key);
        }
        JsonNode cells = s.get("cells");
        assertEquals(6, cells.size());                       // 1 run × 2 λ × 3 folds × 1 seed
        for (int k = 0; k < 2; k++) {                        // the means are over the cells of each λ, in fold order
            double sum = 0;
            for (int f = 0; f < 3; f++) {
                JsonNode c = cells.get(k * 3 + f);
                assertEquals(f + 1, c.get("fold").asInt());
                assertEquals(s.get("lambdas").get(k).asDouble(), c.get("lambda").asDouble());
                assertEquals(42, c.get("seed").asLong());
                sum += c.get("val_loss").asDouble();
            }
            assertEquals(sum / 3, s.get("val_loss_mean").get(k).asDouble(), 1e-15);
        }
    }

    @Test
    void aCellsNumbersDependOnTheCellAloneNotOnTheGrid() throws Exception {
        JsonNode grid = sweep("grid", "--run", "adam:lr=0.01", "--run", "sgd:lr=0.1,momentum=0.9", "--lambdas",
                "0,0.1", "--seeds", "5,6");
        assertEquals(2 * 2 * 3 * 2, grid.get("cells").size());
        assertEquals(2, grid.get("runs").size());
        assertTrue(grid.has("best_run"));
        JsonNode alone = sweep("alone", "--run", "sgd:lr=0.1,momentum=0.9", "--lambdas", "0.1", "--seeds", "6");
        List<double[]> inGrid = new ArrayList<>();
        for (JsonNode c : grid.get("cells")) {
            if (c.get("run").asText().startsWith("sgd") && c.get("lambda").asDouble() == 0.1
                    && c.get("seed").asLong() == 6) {
                inGrid.add(new double[] {c.get("train_loss").asDouble(), c.get("val_loss").asDouble()});
            }
        }
        assertEquals(3, inGrid.size());
        for (int f = 0; f < 3; f++) {
            JsonNode c = alone.get("cells").get(f);
            assertArrayEquals(inGrid.get(f), new double[] {c.get("train_loss").asDouble(),
                    c.get("val_loss").asDouble()});           // bit for bit
        }
        // the seeds differ: different numbers for the same (run, λ, fold)
        JsonNode c5 = grid.get("cells").get(0), c6 = grid.get("cells").get(1);
        assertEquals(5, c5.get("seed").asLong());
        assertFalse(c5.get("val_loss").asDouble() == c6.get("val_loss").asDouble());
    }

    @Test
    void badGridArgumentsAreUsageErrors() {
        assertError("--seeds gives a seed twice", "--lambdas", "0", "--seeds", "1,1");
        assertError("--run 'adam:lr=0.01,l2=0.1' sets l2, which --penalty l2 sets for every grid point",
                "--lambdas", "0", "--run", "adam:lr=0.01,l2=0.1");
        assertError("--run 'adam' is the same optimizer as --run 'adam'", "--lambdas", "0", "--run", "adam",
                "--run", "adam");
        assertError("has no effect with sweep (each --run names its optimizer)", "--lambdas", "0", "--run", "adam",
                "--optimizer", "sgd");
    }

    @Test
    void aCellTrainsOnTheDeviceItsCallerNames() {
        SweepGrid g = SweepGrid.parse("--dataset", "moons", "--hidden", "4", "--epochs", "1", "--lambdas", "0",
                "--folds", "2", "--out", dir.resolve("unused").toString());
        assertEquals(2, g.size());
        io.ndopt.internal.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.ndopt.internal.config.ConfigException.class, () -> g.run(g.cells().get(0),
                        io.ndopt.device.Device.cuda(1), SweepGrid.Watcher.NONE));
        assertTrue(e.getMessage().startsWith("the task's device: device cuda:1 cannot be used here"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("unused")));          // parsing writes nothing
    }

    private void assertError(String part, String... args) {
        List<String> a = new ArrayList<>(List.of("sweep"));
        a.addAll(BASE);
        a.addAll(List.of(args));
        a.addAll(List.of("--out", dir.resolve("bad").toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.run(a.toArray(String[]::new)));
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(part), text);
        assertEquals(1, text.strip().lines().count(), text);
        assertFalse(Files.exists(dir.resolve("bad")));
    }

    private JsonNode sweep(String name, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("sweep"));
        a.addAll(BASE);
        a.addAll(List.of(args));
        a.addAll(List.of("--out", dir.resolve(name).toString()));
        assertEquals(0, CliTest.quiet(a.toArray(String[]::new)));
        return JSON.readTree(dir.resolve(name).resolve("sweep.json").toFile());
    }
}
