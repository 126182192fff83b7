package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ndopt.Conformance;
import io.ndopt.internal.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * fit on multi-output problems and schedule-free's eval point; schedule_free_adamw, adafactor and muon through train
 * (resume bitwise from a checkpoint, schedule-free's at the eval point), compare with other rules, and refusals.
 */
class MatrixFamilyCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    @Test
    void fitWritesNestedMultiOutputTrajectories() throws Exception {
        Path out = dir.resolve("ada.json");
        Cli.run("fit", "--spec", Conformance.file("adafactor_factored.json").toString(), "--out", out.toString())
                .expect(0);
        JsonNode r = JSON.readTree(out.toFile()), e = Conformance.read("adafactor_factored.json").get("expected");
        assertEquals(7, r.get("w_final").size());
        assertEquals(3, r.get("w_final").get(0).size());
        assertEquals(3, r.get("b_final").size());
        assertEquals(41, r.get("b_traj").size());
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(e.get("w_final").get(i).get(j).asDouble(), r.get("w_final").get(i).get(j).asDouble(), 1e-10);
            }
        }
        assertTrue(!r.has("w_eval_final"));
    }

    @Test
    void fitWritesTheEvalPointOfScheduleFree() throws Exception {
        Path out = dir.resolve("sf.json");
        Cli.run("fit", "--spec", Conformance.file("schedule_free_adamw.json").toString(), "--out", out.toString(),
                "--dtype", "float32").expect(0);
        JsonNode r = JSON.readTree(out.toFile()), e = Conformance.read("schedule_free_adamw.json").get("expected");
        for (String k : new String[] {"w_eval_traj", "b_eval_traj", "w_eval_final", "b_eval_final"}) {
            assertTrue(r.has(k), k);
        }
        assertEquals(e.get("b_eval_final").asDouble(), r.get("b_eval_final").asDouble(), 1e-4);
        assertEquals(e.get("w_eval_final").get(3).asDouble(), r.get("w_eval_final").get(3).asDouble(), 1e-4);
    }

    @Test
    void specReaderIsStrictAboutTheNewShapes() throws Exception {
        ObjectNode root = (ObjectNode) Conformance.read("adafactor_factored.json");
        ((ObjectNode) root.get("optimizer")).put("beta2", 0.9);
        Files.writeString(dir.resolve("unknown.json"), root.toString());
        Cli.run("fit", "--spec", dir.resolve("unknown.json").toString(), "--out", dir.resolve("o1.json").toString())
                .expect(2, "beta2");
        root = (ObjectNode) Conformance.read("adafactor_factored.json");
        ((ObjectNode) root.get("problem")).remove("outputs");
        Files.writeString(dir.resolve("no_outputs.json"), root.toString());
        Cli.run("fit", "--spec", dir.resolve("no_outputs.json").toString(), "--out", dir.resolve("o2.json").toString())
                .expect(2, "Y");
        root = (ObjectNode) Conformance.read("adafactor_factored.json");
        ((ObjectNode) root.get("problem")).put("outputs", 2);
        Files.writeString(dir.resolve("wrong_k.json"), root.toString());
        Cli.run("fit", "--spec", dir.resolve("wrong_k.json").toString(), "--out", dir.resolve("o3.json").toString())
                .expect(2, "outputs");
    }

    @Test
    void adafactorTrainsResumesBitwiseAndCompares() throws Exception {
        resumesBitwise(new String[] {"--dataset", "moons", "--hidden", "8", "--optimizer", "adafactor", "--lr", "0.02",
                "--beta2-decay", "-0.7", "--wd", "0.01", "--batch-size", "50", "--seed", "2"}, 3, 1, 5);
        Cli.run("compare", "--dataset", "moons", "--hidden", "8", "--epochs", "1",
                "--run", "adafactor:lr=1e-2,eps2=1e-3,d=1", "--run", "schedule_free_adamw:lr=1e-2",
                "--run", "sgd:lr=0.1", "--out", dir.resolve("cmp").toString()).expect(0);
        Cli.run("train", "--dataset", "moons", "--optimizer", "adafactor", "--d", "0.5", "--epochs", "1",
                "--out", dir.resolve("bad").toString()).expect(2, "d");
    }

    @Test
    void scheduleFreeResumesBitwiseFromACheckpointAtTheEvalPoint() throws Exception {
        Path b = resumesBitwise(new String[] {"--dataset", "moons", "--hidden", "8", "--optimizer", "schedule_free_adamw",
                "--lr", "0.01", "--warmup-steps", "5", "--wd", "0.01", "--batch-size", "50", "--seed", "2"}, 4, 2, 3);
        JsonNode m = JSON.readTree(b.resolve("metrics.json").toFile());
        assertEquals("schedule_free_adamw", m.get("config").get("optimizer").asText());
        assertEquals(5, m.get("config").get("warmup_steps").asInt());
        assertTrue(m.get("history").get(3).get("val_metric").asDouble() > 0.7, "moons accuracy at the eval point");
        Cli.run("train", "--dataset", "moons", "--optimizer", "schedule_free_adamw", "--l1", "1e-3", "--epochs", "1",
                "--out", dir.resolve("x").toString()).expect(2, "l1");
        Cli.run("train", "--dataset", "moons", "--optimizer", "adamw", "--warmup-steps", "3", "--epochs", "1",
                "--out", dir.resolve("y").toString()).expect(2, "warmup_steps");
        Cli.run("train", "--dataset", "moons", "--optimizer", "schedule_free_adamw", "--amsgrad", "true", "--epochs",
                "1", "--out", dir.resolve("z").toString()).expect(2, "amsgrad");
    }

    /**
     * {@code epochs} straight, and {@code split} epochs with a checkpoint every {@code every} steps then resumed to
     * {@code epochs}: the parameters are bitwise equal. Returns the straight run's folder.
     */
    private Path resumesBitwise(String[] common, int epochs, int split, int every) throws Exception {
        Path a = dir.resolve("resumed"), b = dir.resolve("straight");
        Cli.run(Cli.train(common, "--epochs", "" + epochs, "--out", b.toString())).expect(0);
        Cli.run(Cli.train(common, "--epochs", "" + split, "--checkpoint-every", "" + every, "--out", a.toString()))
                .expect(0);
        Cli.run("train", "--resume", a.resolve("checkpoint").toString(), "--epochs", "" + epochs, "--out",
                a.toString()).expect(0);
        for (String p : new String[] {"fc1.W", "fc1.b", "out.W", "out.b"}) {
            INDArray x = Npy.read(Files.readAllBytes(a.resolve("params/" + p + ".npy")), p);
            INDArray y = Npy.read(Files.readAllBytes(b.resolve("params/" + p + ".npy")), p);
            assertArrayEquals(y.ravel().toFloatVector(), x.ravel().toFloatVector(), 0f, p);
        }
        return b;
    }

    @Test
    void muonTrainsWithItsAuxFieldsAndCompares() throws Exception {
        Path out = dir.resolve("muon");
        Cli.run("train", "--dataset", "moons", "--hidden", "8,8", "--optimizer", "muon", "--lr", "0.02",
                "--aux-lr", "3e-3", "--aux-weight-decay", "0.01", "--adjust-lr-fn", "match_rms_adamw", "--epochs", "2",
                "--out", out.toString()).expect(0);
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("muon", m.get("config").get("optimizer").asText());
        assertEquals(0.003, m.get("config").get("aux_lr").asDouble());
        Cli.run("compare", "--dataset", "moons", "--hidden", "8,8", "--epochs", "1",
                "--run", "muon:lr=0.02,aux_lr=3e-3,muon_params=weights", "--run", "adamw:lr=1e-2",
                "--out", dir.resolve("cmp2").toString()).expect(0);
        Cli.run("train", "--dataset", "moons", "--optimizer", "muon", "--muon-params", "names:fc.*", "--hidden",
                "8", "--epochs", "1", "--out", dir.resolve("badmuon").toString()).expect(2, "2-D");
        Cli.run("train", "--dataset", "moons", "--optimizer", "adamw", "--aux-lr", "0.1", "--epochs", "1",
                "--out", dir.resolve("badaux").toString()).expect(2, "aux_lr");
    }
}
