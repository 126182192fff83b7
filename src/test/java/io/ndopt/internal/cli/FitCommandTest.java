package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ndopt.Conformance;
import io.ndopt.data.DataFormatException;
import io.ndopt.internal.conformance.LinearSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ndopt fit} in-process: result keys, values, CSV input, random init and error exits. */
class FitCommandTest {
    @TempDir Path dir;

    @Test
    void writesExpectedKeysAndValues() throws Exception {
        Path out = dir.resolve("r.json");
        assertEquals(0, Main.run("fit", "--spec", Conformance.file("prox_l1_sgd.json").toString(), "--out",
                out.toString()));
        JsonNode r = Conformance.JSON.readTree(out.toFile());
        JsonNode e = Conformance.read("prox_l1_sgd.json").get("expected");
        for (String k : new String[] {"w_traj", "b_traj", "loss", "w_final", "b_final", "final_zero_count",
                "snapshots"}) {
            assertTrue(r.has(k), "result has " + k);
        }
        assertEquals(e.get("final_zero_count").asInt(), r.get("final_zero_count").asInt());
        for (int j = 0; j < 5; j++) {
            assertEquals(e.get("w_final").get(j).asDouble(), r.get("w_final").get(j).asDouble(), 1e-10);
        }
    }

    @Test
    void csvDataRandomInitScheduleAndClip() throws Exception {
        Files.writeString(dir.resolve("d.csv"), "\uFEFFa,b,target\r\n1,2,3\r\n2,0,2\r\n0,1,1.5\r\n3,1,4\r\n");
        Files.writeString(dir.resolve("s.json"), """
                {"problem": {"csv": "d.csv", "target": "target", "seed": 5}, "steps": 30,
                 "optimizer": {"type": "sgd", "lr": 0.05, "momentum": 0.9, "weight_decay": 0.01},
                 "schedule": {"type": "cosine", "t_max": 30, "eta_min": 0.001}, "clip_global_norm": 1.0}""");
        Path out = dir.resolve("r.json");
        assertEquals(0, Main.run("fit", "--spec", dir.resolve("s.json").toString(), "--out", out.toString(),
                "--dtype", "float32"));
        JsonNode r = Conformance.JSON.readTree(out.toFile());
        assertEquals(31, r.get("loss").size());
        assertEquals(0.05, r.get("lr_per_step").get(0).asDouble(), 1e-12);
        assertEquals(0.001 + 0.049 * (1 + Math.cos(Math.PI * 29 / 30)) / 2,
                r.get("lr_per_step").get(29).asDouble(), 1e-12);
        assertTrue(r.get("loss").get(30).asDouble() < r.get("loss").get(0).asDouble());
    }

    @Test
    void badInputGivesNonZeroExitAndNamesTheProblem() throws Exception {
        Files.writeString(dir.resolve("bad.json"), """
                {"problem": {"X": [[1.0]], "y": [1.0], "w0": [0.0], "b0": 0}, "steps": 3,
                 "optimizer": {"type": "adam", "lr": 0.1, "momentum": 0.9}}""");
        var err = new ByteArrayOutputStream();
        var old = System.err;
        System.setErr(new PrintStream(err));
        int code;
        try {
            code = Main.run("fit", "--spec", dir.resolve("bad.json").toString(), "--out",
                    dir.resolve("o.json").toString());
        } finally {
            System.setErr(old);
        }
        assertTrue(code != 0);
        assertTrue(err.toString().contains("momentum"), err.toString());
        assertTrue(Files.notExists(dir.resolve("o.json")));
        Files.writeString(dir.resolve("bad.csv"), "a,target\n1,2\nx,3\n");
        Files.writeString(dir.resolve("s2.json"),
                "{\"problem\": {\"csv\": \"bad.csv\"}, \"steps\": 1, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}}");
        var e2 = Assertions.assertThrows(DataFormatException.class,
                () -> LinearSpec.read(dir.resolve("s2.json")));
        assertTrue(e2.getMessage().contains("bad.csv:3") && e2.getMessage().contains("'a'"), e2.getMessage());
        assertEquals(Main.EXIT_USAGE, Main.run("fit", "--spec", "x.json", "--out", "y.json", "--dtype", "float16"));
    }
}
