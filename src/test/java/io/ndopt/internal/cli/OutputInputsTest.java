package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.Conformance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** path's folder follows the run-folder rules; no command writes over or deletes one of its own inputs. */
class OutputInputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private static final String[] RIDGE = {"path", "--dataset", "diabetes", "--model", "ridge", "--grid", "1:10:3"};

    private static String[] with(String[] a, String... more) {
        String[] out = new String[a.length + more.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }

    @Test
    void pathKeepsARunFolder() throws Exception {
        Path out = dir.resolve("p");
        Cli.run(with(RIDGE, "--out", out.toString())).expect(0);
        assertFalse(Files.exists(out.resolve(RunFolder.MARKER)));
        JsonNode m = JSON.readTree(out.resolve(RunFolder.MANIFEST).toFile());
        List<String> listed = new ArrayList<>();
        m.get("files").forEach(f -> listed.add(f.get("path").asText()));
        assertEquals("path", m.get("command").asText());
        assertTrue(listed.contains("path.json"), listed.toString());
        byte[] first = Files.readAllBytes(out.resolve("path.json"));
        Cli.run(with(RIDGE, "--seed", "7", "--out", out.toString())).expect(2, "already holds files",
                "--overwrite");
        assertArrayEquals(first, Files.readAllBytes(out.resolve("path.json")), "the earlier path.json stays");
        Cli.run(with(RIDGE, "--out", out.toString(), "--overwrite")).expect(0);

        Path other = dir.resolve("t");
        Cli.run("train", "--dataset", "blobs", "--hidden", "4", "--epochs", "1", "--out", other.toString()).expect(0);
        Cli.run(with(RIDGE, "--out", other.toString())).expect(2, "already holds files");
        assertFalse(Files.exists(other.resolve("path.json")));
    }

    @Test
    void pathOutAFileIsAUsageErrorNamingIt() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        Cli.run(with(RIDGE, "--out", f.toString())).expect(2, "--out " + f + " is a file, not a folder");
        assertEquals("x", Files.readString(f));
    }

    @Test
    void fitNeverWritesOverItsSpecOrItsData() throws Exception {
        Path spec = Files.copy(Conformance.file("prox_l1_sgd.json"), dir.resolve("s.json"));
        byte[] before = Files.readAllBytes(spec);
        Cli.run("fit", "--spec", spec.toString(), "--out", spec.toString()).expect(2, "is the --spec input");
        Path dotted = dir.resolve(".").resolve("sub").resolve("..").resolve("s.json");
        Files.createDirectories(dir.resolve("sub"));
        Cli.run("fit", "--spec", spec.toString(), "--out", dotted.toString()).expect(2, "is the --spec input");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), spec);
        Cli.run("fit", "--spec", spec.toString(), "--out", link.toString()).expect(2, "is the --spec input");
        assertArrayEquals(before, Files.readAllBytes(spec));

        Files.writeString(dir.resolve("d.csv"), "a,target\n1,2\n2,4\n3,6\n");
        Path csvSpec = Files.writeString(dir.resolve("c.json"), "{\"problem\": {\"csv\": \"d.csv\", \"target\": "
                + "\"target\"}, \"steps\": 2, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.01}}");
        Cli.run("fit", "--spec", csvSpec.toString(), "--out", dir.resolve("d.csv").toString())
                .expect(2, "problem.csv input");
        assertEquals("a,target\n1,2\n2,4\n3,6\n", Files.readString(dir.resolve("d.csv")));
    }

    @Test
    void noRunFolderHoldsItsOwnInputs() throws Exception {
        Path out = dir.resolve("run");
        Path cfg = Files.createDirectories(out.resolve("params")).resolve("run.yaml");
        Files.writeString(cfg, "dataset: blobs\nhidden: [4]\nepochs: 1\n");
        Cli.run("train", "--config", cfg.toString(), "--out", out.toString(), "--overwrite")
                .expect(2, "--out " + out + " contains the --config input");
        Path link = Files.createSymbolicLink(dir.resolve("alias"), out);
        Cli.run("train", "--config", link.resolve("params/run.yaml").toString(), "--out", out.toString(),
                "--overwrite").expect(2, "contains the --config input");
        Cli.run("train", "--config", cfg.toString(), "--out", out.resolve("params").resolve("..").resolve(".")
                .toString(), "--overwrite").expect(2, "contains the --config input");
        assertTrue(Files.exists(cfg), "the config survives");

        Path data = Files.writeString(out.resolve("d.csv"), "x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n6,12\n");
        Cli.run("train", "--data", data.toString(), "--target", "y", "--hidden", "none", "--epochs", "1",
                "--out", out.toString(), "--overwrite").expect(2, "contains the --data input");
        Cli.run("sweep", "--data", data.toString(), "--target", "y", "--hidden", "none", "--epochs", "1",
                "--lambdas", "0,1", "--folds", "2", "--out", out.toString(), "--overwrite")
                .expect(2, "contains the --data input");
        Cli.run("compare", "--data", data.toString(), "--target", "y", "--hidden", "none", "--epochs", "1",
                "--run", "adam:lr=0.01", "--run", "sgd:lr=0.1", "--out", out.toString(), "--overwrite")
                .expect(2, "contains the --data input");
        Cli.run("path", "--data", data.toString(), "--target", "y", "--model", "ridge", "--out", out.toString(),
                "--overwrite").expect(2, "contains the --data input");
        Cli.run("path", "--data", data.toString(), "--target", "y", "--model", "ridge", "--out",
                out.resolve("d.csv").toString()).expect(2, "is a file");
        assertTrue(Files.exists(data) && Files.exists(cfg));
        assertFalse(Files.exists(out.resolve(RunFolder.MARKER)));
    }

    @Test
    void weakSpots() throws Exception {
        Path csv = Files.writeString(dir.resolve("d.csv"), "x,y\n1,2\n2,4.1\n3,6\n4,8.2\n5,10\n6,11.9\n");
        Cli.run("path", "--data", csv.toString(), "--target", "y", "--model", "lasso", "--cv", "6", "--out",
                dir.resolve("o").toString()).expect(2, "--cv 6 is too many folds for 6 training rows",
                "--cv must be between 2 and 3");
        Cli.run("path", "--data", csv.toString(), "--target", "y", "--model", "lasso", "--cv", "3", "--out",
                dir.resolve("o").toString()).expect(0);
        Cli.run("fit", "--spec", Conformance.file("prox_l1_sgd.json").toString(), "--out",
                dir.resolve("r.json").toString(), "--device", "cuda:99").expect(2, "--device cuda:99");
    }
}
