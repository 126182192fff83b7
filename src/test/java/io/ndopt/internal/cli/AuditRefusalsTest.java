package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.internal.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25's configuration defects and weak spots: cross_entropy on two classes, a field in the optimizer and at
 * the top level, settings without effect the README says are refused, paths inside files, NUL in a CSV cell.
 */
class AuditRefusalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private String out() { return dir.resolve("o").toString(); }

    /** Softmax over one logit is constant (its CE unbounded below): two classes get two outputs. */
    @Test
    void crossEntropyOnTwoClassesHasOneOutputPerClass() throws Exception {
        Path run = dir.resolve("ce");
        Cli.run("train", "--dataset", "moons", "--loss", "cross_entropy", "--hidden", "16", "--optimizer", "adam",
                "--lr", "0.01", "--epochs", "15", "--batch-size", "64", "--out", run.toString()).expect(0);
        JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
        for (JsonNode e : m.get("history")) {
            assertTrue(e.get("train_loss").asDouble() >= 0 && e.get("val_loss").asDouble() >= 0, e.toString());
        }
        JsonNode last = m.get("history").get(m.get("history").size() - 1);
        assertTrue(last.get("val_metric").asDouble() > 0.8, "well above chance: " + last);
        assertArrayEquals(new long[] {16, 2},
                Npy.read(Files.readAllBytes(run.resolve("params/out.W.npy")), "out.W").shape());
        // the same through sweep (training folds passed in) and a two-class CSV
        Path sw = dir.resolve("sw");
        Cli.run("sweep", "--dataset", "moons", "--loss", "cross_entropy", "--hidden", "none", "--optimizer", "adam",
                "--lr", "0.05", "--epochs", "3", "--penalty", "l2", "--lambdas", "0,0.01", "--folds", "2",
                "--out", sw.toString()).expect(0);
        for (JsonNode v : JSON.readTree(sw.resolve("sweep.json").toFile()).get("val_loss_mean")) {
            assertTrue(v.asDouble() >= 0, "cross-entropy is never negative: " + v);
        }
        StringBuilder csv = new StringBuilder("a,b,y\n");
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            double a = r.nextGaussian(), b = r.nextGaussian();
            csv.append(a).append(',').append(b).append(',').append(a + b > 0 ? 1 : 0).append('\n');
        }
        Files.writeString(dir.resolve("two.csv"), csv);
        Path c = dir.resolve("csv");
        Cli.run("train", "--data", dir.resolve("two.csv").toString(), "--task", "classification", "--loss", "cross_entropy",
                "--hidden", "none", "--optimizer", "adam", "--lr", "0.05", "--epochs", "20", "--out", c.toString())
                .expect(0);
        JsonNode h = JSON.readTree(c.resolve("metrics.json").toFile()).get("history");
        assertTrue(h.get(h.size() - 1).get("val_metric").asDouble() > 0.9, h.toString());
        assertTrue(h.get(h.size() - 1).get("train_loss").asDouble() >= 0, h.toString());
        Cli.run("train", "--dataset", "spirals", "--loss", "bce_with_logits", "--out", out())
                .expect(2, "bce_with_logits", "3", "cross_entropy");
    }

    /** An optimizer field in the optimizer object and at the top level: neither wins silently. */
    @Test
    void aFieldInTheOptimizerAndAtTheTopLevelIsRefused() throws Exception {
        Path y = dir.resolve("both.yaml");
        Files.writeString(y, "dataset: blobs\noptimizer:\n  type: adam\n  lr: 0.01\nepochs: 1\nlr: 0.5\n");
        Cli.run("train", "--config", y.toString(), "--out", out())
                .expect(2, "'lr' is given twice", y + ":6", y + ":2 (optimizer.lr)");
        Path j = dir.resolve("both.json");     // all on one line, an alias at the top level
        Files.writeString(j, "{\"weight_decay\": 0.1, \"optimizer\": {\"type\": \"adamw\", \"wd\": 0.2}}");
        Cli.run("train", "--config", j.toString(), "--out", out()).expect(2, "'weight_decay' is given twice",
                "top level", "optimizer");
        Path t = dir.resolve("text.yaml");     // the compact text form too
        Files.writeString(t, "optimizer: \"sgd:lr=0.1,momentum=0.9\"\nmomentum: 0.5\n");
        Cli.run("train", "--config", t.toString(), "--out", out()).expect(2, "'momentum' is given twice");
        assertFalse(Files.exists(dir.resolve("o")));
    }

    @Test
    void settingsWithoutEffectTheReadmeRefuses() throws Exception {
        Cli.run("train", "--hidden", "none", "--activation", "tanh", "--out", out())
                .expect(2, "activation", "hidden none");
        Path y = dir.resolve("lin.yaml");
        Files.writeString(y, "hidden: none\nactivation: relu\n");
        Cli.run("train", "--config", y.toString(), "--out", out()).expect(2, y + ":2", "activation");
        assertFalse(Files.exists(dir.resolve("o")));
        // a linear model's settings resume without activation: toMap leaves it out
        Path lin = dir.resolve("lin");
        Cli.run("train", "--dataset", "poly", "--hidden", "none", "--epochs", "1", "--out", lin.toString()).expect(0);
        assertFalse(JSON.readTree(lin.resolve("metrics.json").toFile()).get("config").has("activation"));
    }

    @Test
    void groupLassoZeroHasNoEffect() {
        Cli.run("train", "--group-lasso", "0", "--out", out()).expect(2, "group_lasso", "lambda 0");
        Cli.run("train", "--group-lasso", "0:cols", "--out", out()).expect(2, "group_lasso", "lambda 0");
        assertFalse(Files.exists(dir.resolve("o")));
    }

    @Test
    void sweepRefusesTheSameLambdaTwice() {
        Cli.run("sweep", "--lambdas", "0.1,0.01,0.1", "--out", out()).expect(2, "--lambdas", "0.1 twice");
        Cli.run("sweep", "--grid", "1:1:3", "--out", out()).expect(2, "--grid");
        assertFalse(Files.exists(dir.resolve("o")));
    }

    @Test
    void fitRefusesAnUnknownSchemaVersion() throws Exception {
        Path s = dir.resolve("s.json");
        Files.writeString(s, "{\"schema_version\": 2, \"problem\": {\"X\": [[1.0], [2.0]], \"y\": [1.0, 2.0]},\n"
                + "\"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}, \"steps\": 2}");
        Cli.run("fit", "--spec", s.toString(), "--out", dir.resolve("r.json").toString())
                .expect(2, "schema_version 2", "schema_version 1");
        Files.writeString(s, Files.readString(s).replace("\"schema_version\": 2", "\"schema_version\": 1"));
        Cli.run("fit", "--spec", s.toString(), "--out", dir.resolve("r.json").toString()).expect(0);
    }

    /** One rule: a path inside a file is relative to that file's folder (config data: and fit's problem.csv). */
    @Test
    void pathsInsideFilesAreRelativeToTheFile() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("cfg"));
        StringBuilder csv = new StringBuilder("a,y\n");
        for (int i = 0; i < 40; i++) csv.append(i * 0.1).append(',').append(2 * i * 0.1 + 1).append('\n');
        Files.writeString(sub.resolve("d.csv"), csv);
        Files.writeString(sub.resolve("run.yaml"), "data: d.csv\ntarget: y\nhidden: none\nepochs: 1\n");
        Path run = dir.resolve("rel");
        Cli.run("train", "--config", sub.resolve("run.yaml").toString(), "--out", run.toString()).expect(0);
        String data = JSON.readTree(run.resolve("metrics.json").toFile()).get("config").get("data").asText();
        assertEquals(sub.resolve("d.csv").toAbsolutePath().normalize().toString(), data);
        Files.writeString(sub.resolve("spec.json"), "{\"problem\": {\"csv\": \"d.csv\", \"target\": \"y\"},"
                + " \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.01}, \"steps\": 2}");
        Cli.run("fit", "--spec", sub.resolve("spec.json").toString(), "--out", dir.resolve("f.json").toString())
                .expect(0);
        Files.writeString(sub.resolve("run.yaml"), "data: missing.csv\n");
        Cli.run("train", "--config", sub.resolve("run.yaml").toString(), "--out", out())
                .expect(1, sub.resolve("missing.csv").toAbsolutePath().normalize().toString());
    }

    @Test
    void aControlCharacterInACsvCellIsRefusedWithLineAndColumn() throws Exception {
        Path f = dir.resolve("nul.csv");
        Files.writeString(f, "a,b,y\n1,2,3\n4,5\u0000,6\n7,8,9\n");
        Cli.run("train", "--data", f.toString(), "--out", out()).expect(1, "nul.csv:3", "field 'b'", "\\u0000");
        Files.writeString(f, "a,b,y\n1,2,3\n4,\u00005,6\n");
        Cli.run("path", "--model", "lasso", "--data", f.toString(), "--target", "y", "--out", out()).expect(1, "nul.csv:3", "field 'b'", "\\u0000");
    }

    /** path on a column ×1e200: fitted like the unscaled one; refused by name where nothing can rescue it. */
    @Test
    void pathCommandFitsExtremeScalesOrNamesTheColumn() throws Exception {
        StringBuilder csv = new StringBuilder("big,b,y\n");
        Random r = new Random(5);
        for (int i = 0; i < 100; i++) {
            double a = r.nextGaussian(), b = r.nextGaussian();
            csv.append(a * 1e200).append(',').append(b).append(',').append(3 * a + b + 0.05 * r.nextGaussian())
                    .append('\n');
        }
        Path f = dir.resolve("big.csv");
        Files.writeString(f, csv);
        Path p = dir.resolve("p");
        Cli.run("path", "--model", "lasso", "--target", "y", "--data", f.toString(), "--lambdas", "0.001", "--out", p.toString()).expect(0);
        JsonNode doc = JSON.readTree(p.resolve("path.json").toFile());
        assertTrue(doc.get("train_r2").get(0).asDouble() > 0.99, doc.get("train_r2").toString());
        Cli.run("path", "--model", "lasso", "--target", "y", "--data", f.toString(), "--no-standardize", "--lambdas", "0.001", "--out",
                dir.resolve("q").toString()).expect(2, "feature 'big'", "without standardization");
    }
}
