package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.TestArrays;
import io.ndopt.internal.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** train --group-lasso --penalty-schedule --prune: the structure report and a pruned network that predicts the same. */
class GroupLassoCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private static INDArray read(Path f) throws Exception {
        return Npy.read(Files.readAllBytes(f), f.getFileName().toString());
    }

    /** relu(x·W1 + b1)·W2 + b2 from a params folder. */
    private static INDArray forward(Path params, INDArray x) throws Exception {
        INDArray h = Transforms.relu(x.mmul(read(params.resolve("fc1.W.npy")))
                .addiRowVector(read(params.resolve("fc1.b.npy"))), false);
        return h.mmul(read(params.resolve("out.W.npy"))).addiRowVector(read(params.resolve("out.b.npy")));
    }

    @Test
    void groupLassoRunReportsStructureAndWritesAPrunedNetwork() throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, CliTest.quiet("train", "--dataset", "sparse", "--hidden", "16", "--optimizer", "adam",
                "--lr", "0.01",
                "--group-lasso", "0.5:rows", "--penalty-schedule", "group_lasso=linear_warmup:warmup=10",
                "--epochs", "15",
                "--batch-size", "40", "--prune", "--out", out.toString()));
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        JsonNode gl = m.get("config").get("group_lasso");           // the typed form of --group-lasso 0.5:rows
        assertEquals(0.5, gl.get("lambda").asDouble(), 0.0);
        assertEquals("rows", gl.get("by").asText());
        assertEquals("linear_warmup", m.get("config").get("penalty_schedule").get("group_lasso").get("type").asText());
        assertEquals(10, m.get("config").get("penalty_schedule").get("group_lasso").get("warmup").asInt());
        JsonNode manifest = JSON.readTree(out.resolve("run.json").toFile());
        String listed = manifest.toString();
        assertTrue(listed.contains("pruned/pruned.json") && listed.contains("pruned/params/fc1.W.npy"),
                "run.json lists the pruned network: " + listed);
        assertTrue(!Files.exists(out.resolve("INCOMPLETE")));
        JsonNode s = m.get("structure");
        assertEquals(100, s.get("inputs").asInt());
        int removed = s.get("removed_inputs").size();
        assertTrue(removed >= 50, "group lasso on rows removes most of the 90 noise inputs, removed " + removed);
        assertTrue(s.get("params_pruned").asInt() < s.get("params").asInt() / 2);
        JsonNode info = JSON.readTree(out.resolve("pruned/pruned.json").toFile());
        assertEquals(100 - removed, info.get("kept_inputs").size());
        int[] kept = JSON.convertValue(info.get("kept_inputs"), int[].class);

        INDArray x = TestArrays.randn(DataType.FLOAT, new Random(3), 30, 100);
        INDArray full = forward(out.resolve("params"), x),
                pruned = forward(out.resolve("pruned/params"), x.getColumns(kept));
        for (int i = 0; i < 30; i++) assertEquals(full.getDouble(i, 0), pruned.getDouble(i, 0), 1e-4, "row " + i);
    }

    @Test
    void resumeWithGroupLassoAndPenaltyScheduleIsBitwise() throws Exception {
        String[] common = {"train", "--dataset", "spirals", "--hidden", "12", "--optimizer", "adam", "--lr", "0.01",
                "--l1", "1e-3",
                "--group-lasso", "0.05:cols", "--penalty-schedule",
                "group_lasso=linear_warmup:warmup=12;l1=exponential:gamma=0.95",
                "--batch-size", "100", "--seed", "3"};
        Path a = dir.resolve("a"), b = dir.resolve("b");
        assertEquals(0, CliTest.quiet(concat(common, "--epochs", "4", "--out", b.toString())));
        assertEquals(0, CliTest.quiet(concat(common, "--epochs", "2", "--checkpoint-every", "5", "--out",
                a.toString())));
        // prune only reads the trained network, so a resumed run may ask for it
        assertEquals(0, CliTest.quiet("train", "--resume", a.resolve("checkpoint").toString(), "--epochs", "4",
                "--prune", "--out", a.toString()));
        assertTrue(Files.exists(a.resolve("pruned/pruned.json")));
        for (String p : new String[] {"fc1.W", "fc1.b", "out.W", "out.b"}) {
            INDArray x = read(a.resolve("params/" + p + ".npy")), y = read(b.resolve("params/" + p + ".npy"));
            Assertions.assertArrayEquals(y.ravel().toFloatVector(), x.ravel().toFloatVector(), 0f, p);
        }
        JsonNode gl = JSON.readTree(a.resolve("metrics.json").toFile()).get("config").get("group_lasso");
        assertEquals(0.05, gl.get("lambda").asDouble(), 0.0);
        assertEquals("cols", gl.get("by").asText());
    }

    @Test
    void pruneWithDropoutWritesAnEvaluationNetworkAndCompareRefusesPrune() throws Exception {
        Path out = dir.resolve("drop");
        assertEquals(0, CliTest.quiet("train", "--dataset", "sparse", "--hidden", "16", "--dropout", "0.2",
                "--optimizer", "adam", "--lr", "0.01",
                "--group-lasso", "0.5", "--epochs", "6", "--batch-size", "40", "--prune", "--out", out.toString()));
        JsonNode info = JSON.readTree(out.resolve("pruned/pruned.json").toFile());
        int[] kept = JSON.convertValue(info.get("kept_inputs"), int[].class);
        assertEquals(2, info.get("layer_sizes").size(),
                "fc1 and out; the dropout layer is not part of the pruned network");
        INDArray x = TestArrays.randn(DataType.FLOAT, new Random(5), 20, 100);
        INDArray full = forward(out.resolve("params"), x),
                pruned = forward(out.resolve("pruned/params"), x.getColumns(kept));
        for (int i = 0; i < 20; i++) assertEquals(full.getDouble(i, 0), pruned.getDouble(i, 0), 1e-4, "row " + i);
        Cli.run("compare", "--dataset", "moons", "--epochs", "1", "--run", "adam:lr=0.01", "--run", "sgd:lr=0.1",
                "--prune", "--out", dir.resolve("cmp").toString())
                .expect(2, "--prune", "only train writes a network to prune");
        Cli.run("train", "--dataset", "moons", "--epochs", "1", "--optimizer", "adam", "--penalty-schedule",
                "l1=linear_warmup:warmup=5",
                "--out", dir.resolve("ps").toString()).expect(2, "'penalty_schedule' of l1 has no effect without l1");
    }

    @Test
    void fitWritesTheZeroGroupsOfAGroupCase() throws Exception {
        Path out = dir.resolve("fit.json");
        Path spec = io.ndopt.Conformance.file("group_lasso_prox.json");
        assertEquals(0, CliTest.quiet("fit", "--spec", spec.toString(), "--out", out.toString()));
        JsonNode got = JSON.readTree(out.toFile()),
                expected = io.ndopt.Conformance.read("group_lasso_prox.json").get("expected");
        assertEquals(expected.get("final_zero_groups"), got.get("final_zero_groups"));
        assertEquals(expected.get("final_zero_count").asInt(), got.get("final_zero_count").asInt());
        for (int j = 0; j < 6; j++) {
            assertEquals(expected.get("w_final").get(j).asDouble(), got.get("w_final").get(j).asDouble(), 1e-10);
        }
    }

    @Test
    void badGroupLassoAndScheduleOptionsAreUsageErrors() {
        String[] base = {"train", "--dataset", "moons", "--hidden", "4", "--epochs", "1", "--out",
                dir.resolve("bad").toString()};
        assertEquals(2, CliTest.quiet(concat(base, "--group-lasso", "0.1:diagonal")));
        assertEquals(2, CliTest.quiet(concat(base, "--group-lasso", "lots")));
        assertEquals(2, CliTest.quiet(concat(base, "--penalty-schedule", "l3=constant")));
        assertEquals(2, CliTest.quiet(concat(base, "--penalty-schedule", "l1")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
