package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.Png;
import io.ndopt.PanelsPng;
import io.ndopt.internal.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** train, compare, sweep and demo in-process: files exist, JSON is consistent, PNGs decode. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    static int quiet(String... args) {
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            return Main.run(args);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void trainWritesMetricsParamsAndPlots() throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, quiet("train", "--dataset", "blobs", "--hidden", "16", "--optimizer", "adamw", "--lr", "0.01",
                "--l1", "1e-3", "--epochs", "3", "--batch-size", "64", "--out", out.toString()));
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(3, m.get("history").size());
        assertEquals("adamw", m.get("config").get("optimizer").asText());
        assertEquals(0.001, m.get("config").get("l1").asDouble());
        assertEquals(2, m.get("regularization").get("decayed_tensors").asInt());
        assertEquals(2, m.get("regularization").get("plain_tensors").asInt());
        INDArray w = Npy.read(Files.readAllBytes(out.resolve("params/fc1.W.npy")), "fc1.W");
        assertArrayEquals(new long[] {8, 16}, w.shape());
        Png.assertPlot(out.resolve("weights_hist.png"));
        PanelsPng.assertFigure(out.resolve("training.png"), 2);
        Png.assertPlot(out.resolve("weights_hist.png"));
        assertTrue(m.get("history").get(2).get("val_loss").asDouble() > 0);
    }

    @Test
    void trainFromCsvWithConfigFileAndOverrides() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        Random r = new Random(1);
        for (int i = 0; i < 60; i++) {
            double a = r.nextGaussian(), b = r.nextGaussian();
            csv.append(a).append(',').append(b).append(',').append(2 * a - b + 0.1 * r.nextGaussian()).append('\n');
        }
        Files.writeString(dir.resolve("d.csv"), csv);
        Files.writeString(dir.resolve("run.yaml"),
                "data: " + dir.resolve("d.csv") + "\ntarget: y\nhidden: none\noptimizer: sgd\nlr: 0.05\nepochs: 2\n");
        Path out = dir.resolve("csvrun");
        assertEquals(0, quiet("train", "--config", dir.resolve("run.yaml").toString(), "--epochs", "40", "--out",
                out.toString()));
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(40, m.get("history").size(), "command line overrides the file");
        assertEquals("sgd", m.get("config").get("optimizer").asText());
        assertTrue(m.get("history").get(39).get("val_metric").asDouble() > 0.9, "R² of a linear fit");
    }

    @Test
    void resumeFromCheckpointMatchesAnUninterruptedRunBitwise() throws Exception {
        String[] common = {"--dataset", "spirals", "--hidden", "12", "--optimizer", "adamw", "--lr", "0.01",
                "--l1", "1e-4",
                "--schedule", "cosine:t_max=60", "--batch-size", "100", "--seed", "3"};
        Path a = dir.resolve("a"), b = dir.resolve("b");
        assertEquals(0, quiet(Cli.train(common, "--epochs", "4", "--out", b.toString())));
        assertEquals(0, quiet(Cli.train(common, "--epochs", "2", "--checkpoint-every", "5", "--out", a.toString())));
        assertTrue(Files.exists(a.resolve("checkpoint/checkpoint.zip")));
        assertEquals(0, quiet("train", "--resume", a.resolve("checkpoint").toString(), "--epochs", "4", "--out",
                a.toString()));
        for (String p : new String[] {"fc1.W", "fc1.b", "out.W", "out.b"}) {
            INDArray x = Npy.read(Files.readAllBytes(a.resolve("params/" + p + ".npy")), p);
            INDArray y = Npy.read(Files.readAllBytes(b.resolve("params/" + p + ".npy")), p);
            assertArrayEquals(y.ravel().toFloatVector(), x.ravel().toFloatVector(), 0f, p);
        }
        JsonNode m = JSON.readTree(a.resolve("metrics.json").toFile());
        assertEquals(4, m.get("history").size(), "history carried over from the checkpoint");
    }

    @Test
    void compareWritesTableAndOverlay() throws Exception {
        Path out = dir.resolve("cmp");
        assertEquals(0, quiet("compare", "--dataset", "moons", "--hidden", "8", "--epochs", "2",
                "--run", "adam:lr=1e-2,wd=1e-3", "--run", "adamw:lr=1e-2,wd=1e-2", "--run",
                "sgd:lr=0.1,momentum=0.9,l1=1e-3", "--out", out.toString()));
        JsonNode c = JSON.readTree(out.resolve("compare.json").toFile());
        assertEquals(3, c.get("runs").size());
        assertEquals("acc", c.get("metric").asText());
        for (JsonNode run : c.get("runs")) {
            assertTrue(run.get("ms_per_step").asDouble() > 0);
            assertTrue(run.get("ms_per_step_first_epoch").asDouble() > 0);
            assertTrue(run.get("timing").asText().contains("after the first"), run.get("timing").asText());
        }
        PanelsPng.assertFigure(out.resolve("compare.png"), 2);
    }

    @Test
    void sweepPicksTheBestLambda() throws Exception {
        Path out = dir.resolve("sw");
        assertEquals(0, quiet("sweep", "--dataset", "poly", "--hidden", "none", "--optimizer", "adam", "--lr", "0.05",
                "--epochs", "5",
                "--penalty", "l2", "--lambdas", "0,0.1,10", "--folds", "3", "--out", out.toString()));
        JsonNode s = JSON.readTree(out.resolve("sweep.json").toFile());
        double[] val = JSON.convertValue(s.get("val_loss_mean"), double[].class);
        int best = 0;
        for (int k = 1; k < val.length; k++) if (val[k] < val[best]) best = k;
        assertEquals(s.get("lambdas").get(best).asDouble(), s.get("best_lambda").asDouble());
        assertTrue(val[2] > val[0], "lambda 10 underfits");
        Png.assertPlot(out.resolve("validation_curve.png"));
    }

    @Test
    void usageErrorsListChoicesAndExitTwo() {
        var err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err));
        try {
            assertEquals(Main.EXIT_USAGE, quiet("train", "--optimizer", "sophia", "--out", dir.toString()));
            assertTrue(err.toString().contains("adamw"), err.toString());
            assertEquals(Main.EXIT_USAGE, quiet("train", "--activation", "swish", "--epochs", "1", "--out",
                    dir.toString()));
            assertTrue(err.toString().contains("leaky_relu"));
            assertEquals(Main.EXIT_USAGE, quiet("train", "--dataset", "mnist", "--out", dir.toString()));
            assertTrue(err.toString().contains("moons"));
            assertEquals(Main.EXIT_USAGE, quiet("train", "--lr", "fast", "--out", dir.toString()));
            assertEquals(Main.EXIT_USAGE, quiet("train", "--lr", "-1", "--epochs", "1", "--out", dir.toString()));
            assertTrue(err.toString().contains("lr"));
            assertEquals(Main.EXIT_USAGE, quiet("demo", "nope", "--out", dir.toString()));
            assertEquals(Main.EXIT_RUNTIME, quiet("train", "--data", dir.resolve("missing.csv").toString(), "--out",
                    dir.toString()));
        } finally {
            System.setErr(old);
        }
    }
}
