package io.ndopt.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ndopt.internal.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SweepJob in local[2] (two task threads, each task allowed 2 attempts): the grid's sweep.json equals the local
 * sweep's bit for bit, also when a task's first attempt fails; bad arguments are refused before any task. One
 * Spark context for the class.
 */
@Tag("spark")                    // the surefire execution with Spark's Hadoop on the class path (see the pom)
class SweepJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JavaSparkContext sc;
    @TempDir Path dir;

    /** A 2 runs × 2 λ × 2 folds × 2 seeds grid: 16 tasks of a few milliseconds. */
    private static final List<String> GRID = List.of("--dataset", "moons", "--hidden", "8", "--epochs", "2",
            "--batch-size", "64", "--run", "adam:lr=0.01", "--run", "sgd:lr=0.1,momentum=0.9", "--penalty", "l2",
            "--lambdas", "0,0.01", "--folds", "2", "--seeds", "3,4", "--tensorboard", "none");

    @BeforeAll static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,2]").setAppName("SweepJobTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.ui.showConsoleProgress", "false"));
    }

    @AfterAll static void stop() {
        if (sc != null) sc.stop();
    }

    @Test
    void sparkGridEqualsTheLocalSweepBitForBit() throws Exception {
        JsonNode local = local(dir.resolve("local"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        JsonNode spark = spark(dir.resolve("spark"), log);
        assertEquals(16, spark.get("cells").size());
        assertEquals(16, spark.get("spark").get("tasks").asInt());
        assertEquals(0, spark.get("spark").get("failed_task_attempts").asInt());
        assertEquals(local, withoutSpark(spark));                 // doubles compared exactly
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("sweep: 16/16 done"), log.toString());
        assertTrue(Files.exists(dir.resolve("spark/run.json")));
        assertFalse(Files.exists(dir.resolve("spark/INCOMPLETE")));
    }

    @Test
    void aRetriedTaskGivesTheSameNumbers() throws Exception {
        JsonNode local = local(dir.resolve("local"));
        SweepTask.failFirstAttemptOf = 5;
        JsonNode spark;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try {
            spark = spark(dir.resolve("spark"), log);
        } finally {
            SweepTask.failFirstAttemptOf = -1;
        }
        assertEquals(1, spark.get("spark").get("failed_task_attempts").asInt());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("attempt 1 of"), log.toString());
        assertEquals(local, withoutSpark(spark));
    }

    @Test
    void pathCvFoldsAsSparkTasksEqualTheLocalPath() throws Exception {
        List<String> args = List.of("--dataset", "diabetes", "--model", "elasticnet", "--grid", "0.01:10:12", "--cv",
                "4", "--test-split", "0.2");
        Path local = dir.resolve("path-local"), spark = dir.resolve("path-spark");
        List<String> a = new ArrayList<>(List.of("path"));
        a.addAll(args);
        a.addAll(List.of("--out", local.toString()));
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            assertEquals(0, Main.run(a.toArray(String[]::new)));
            List<String> b = new ArrayList<>(args);
            b.addAll(List.of("--out", spark.toString()));
            assertEquals(0, PathJob.run(sc, b.toArray(String[]::new)));
        } finally {
            System.setOut(old);
        }
        JsonNode l = JSON.readTree(local.resolve("path.json").toFile()), s = JSON.readTree(spark.resolve("path.json")
                .toFile());
        assertTrue(l.has("cv_mean") && l.has("lambda_1se"), l.toString());
        assertEquals(l, s);
        assertTrue(Files.exists(spark.resolve("cv.png")) || !Files.exists(local.resolve("cv.png")));
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyTask() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = SweepJob.run(sc, "--dataset", "moons", "--folds", "1", "--out", dir.resolve("bad").toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code);
        String text = err.toString(StandardCharsets.UTF_8).trim();
        assertEquals("ndopt sweep: error: --folds must be >= 2, got 1", text);
        assertFalse(Files.exists(dir.resolve("bad")));
    }

    @Test
    void aDeviceTheExecutorsLackIsAUsageErrorInOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err, oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        int code;
        try {                          // the driver leaves the device to the tasks; each task checks its own
            code = SweepJob.run(sc, "--dataset", "moons", "--hidden", "4", "--epochs", "1", "--lambdas", "0",
                    "--folds", "2", "--device", "cuda:1", "--tensorboard", "none", "--out",
                    dir.resolve("gpu").toString());
        } finally {
            System.setErr(old);
            System.setOut(oldOut);
        }
        String text = err.toString(StandardCharsets.UTF_8);         // Spark's own log lines go to stderr too
        assertEquals(2, code, text);
        List<String> ours = text.lines().filter(l -> l.startsWith("ndopt sweep:")).toList();
        assertEquals(1, ours.size(), text);
        assertTrue(ours.get(0).startsWith("ndopt sweep: error: a Spark task: --device: device cuda:1 cannot be used "
                + "here"), text);
        assertFalse(Files.exists(dir.resolve("gpu/sweep.json")));
    }

    @Test
    void withoutAMasterTheJobSaysHowToStartIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = SweepJob.run("--dataset", "moons", "--lambdas", "0", "--folds", "2", "--out",
                    dir.resolve("nomaster").toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no Spark master: start the job with spark-submit "
                + "--master URL"), err.toString());
        assertFalse(Files.exists(dir.resolve("nomaster/sweep.json")));
    }

    private static JsonNode local(Path out) throws Exception {
        List<String> a = new ArrayList<>(List.of("sweep"));
        a.addAll(GRID);
        a.addAll(List.of("--out", out.toString()));
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            assertEquals(0, Main.run(a.toArray(String[]::new)));
        } finally {
            System.setOut(old);
        }
        return JSON.readTree(out.resolve("sweep.json").toFile());
    }

    private static JsonNode spark(Path out, ByteArrayOutputStream log) throws Exception {
        List<String> a = new ArrayList<>(GRID);
        a.addAll(List.of("--out", out.toString()));
        PrintStream old = System.out;
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, SweepJob.run(sc, a.toArray(String[]::new)));
        } finally {
            System.setOut(old);
        }
        return JSON.readTree(out.resolve("sweep.json").toFile());
    }

    private static JsonNode withoutSpark(JsonNode doc) {
        ObjectNode copy = doc.deepCopy();
        copy.remove("spark");
        return copy;
    }
}
