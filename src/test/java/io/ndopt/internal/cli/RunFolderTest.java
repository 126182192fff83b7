package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --out folders: never mixed with another run, INCOMPLETE until the manifest is written, resume consistency. */
class RunFolderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private static final String[] BLOBS = {"--dataset", "blobs", "--epochs", "1", "--batch-size", "200"};

    @Test
    void anotherRunsFolderIsRefusedAndOverwriteClearsItsFiles() throws Exception {
        Path out = dir.resolve("run");
        Cli.run(Cli.train(BLOBS, "--hidden", "8,8", "--checkpoint-every", "5", "--out", out.toString())).expect(0);
        assertTrue(Files.exists(out.resolve("params/fc2.W.npy"))
                && Files.exists(out.resolve("checkpoint/checkpoint.zip")));
        Cli.run(Cli.train(BLOBS, "--hidden", "4", "--out", out.toString()))
                .expect(2, "already holds files", "--overwrite");
        Cli c = Cli.run(Cli.train(BLOBS, "--hidden", "4", "--out", out.toString(), "--overwrite")).expect(0);
        assertTrue(c.out().contains("deleted"), c.out());
        assertFalse(Files.exists(out.resolve("params/fc2.W.npy")), "stale parameter of the 8,8 model");
        assertFalse(Files.exists(out.resolve("checkpoint")), "stale checkpoint of the 8,8 model");
        JsonNode m = JSON.readTree(out.resolve(RunFolder.MANIFEST).toFile());
        List<String> listed = new ArrayList<>();
        m.get("files").forEach(f -> listed.add(f.get("path").asText()));
        List<String> events = listed.stream().filter(f -> f.startsWith("tensorboard/")).toList();
        assertEquals(1, events.size(), "one TensorBoard event file: " + listed);
        assertTrue(events.get(0).startsWith("tensorboard/events.out.tfevents."), events.get(0));
        assertEquals(List.of("params/fc1.W.npy", "params/fc1.b.npy", "params/out.W.npy", "params/out.b.npy",
                "metrics.json", "training.png",
                "weights_hist.png"), listed.stream().filter(f -> !f.startsWith("tensorboard/")).toList());
        try (var files = Files.walk(out)) {
            assertEquals(listed.size() + 1, files.filter(Files::isRegularFile).count(),
                    "exactly the manifest's files and the manifest");
        }
    }

    @Test
    void folderIsMarkedIncompleteUntilTheManifestIsWritten() throws Exception {
        Path out = dir.resolve("r");
        RunFolder f = RunFolder.prepare(out, "test", false, null, System.out);
        f.begin();
        Files.writeString(f.file("a.txt"), "x");
        assertTrue(Files.exists(out.resolve(RunFolder.MARKER)), "marked while writing");
        assertFalse(Files.exists(out.resolve(RunFolder.MANIFEST)));
        f.finish();
        assertFalse(Files.exists(out.resolve(RunFolder.MARKER)));
        JsonNode m = JSON.readTree(out.resolve(RunFolder.MANIFEST).toFile());
        assertEquals("a.txt", m.get("files").get(0).get("path").asText());
        assertEquals("2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",
                m.get("files").get(0).get("sha256").asText());
    }

    @Test
    void outMustBeAWritableFolder() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Cli.run(Cli.train(BLOBS, "--out", file.toString())).expect(2, "is a file");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        assertTrue(ro.toFile().setWritable(false));
        try {
            if (!Files.isWritable(ro)) {
                Cli.run(Cli.train(BLOBS, "--out", ro.resolve("x").toString())).expect(2, "--out");
            }
        } finally {
            ro.toFile().setWritable(true);
        }
    }

    @Test
    void resumeMustContinueTheSameRun() throws Exception {
        Path a = dir.resolve("a");
        String[] common = {"--dataset", "moons", "--hidden", "4", "--batch-size", "100", "--seed", "3"};
        Cli.run(Cli.train(common, "--epochs", "1", "--checkpoint-every", "4", "--out", a.toString())).expect(0);
        Cli.run("train", "--resume", a.toString(), "--epochs", "2", "--seed", "4", "--out", a.toString())
                .expect(2, "seed", "--allow-changes");
        Cli.run("train", "--resume", a.toString(), "--epochs", "2", "--optimizer", "sgd", "--out", a.toString())
                .expect(2, "optimizer");
        Cli.run("train", "--resume", a.toString(), "--epochs", "1", "--out", a.toString())
                .expect(2, "nothing to train");
        Cli.run("train", "--resume", a.toString(), "--epochs", "2", "--out", dir.resolve("b").toString()).expect(0);
        Cli.run("train", "--resume", a.toString(), "--epochs", "2", "--seed", "3", "--lr", "0.01", "--allow-changes",
                "--out", a.toString()).expect(0);
        assertFalse(Files.exists(a.resolve(RunFolder.MARKER)));
    }

    @Test
    void resumeRefusesOtherData() throws Exception {
        Path csv = dir.resolve("d.csv"), a = dir.resolve("a");
        Files.writeString(csv, "x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n");
        Cli.run("train", "--data", csv.toString(), "--hidden", "none", "--epochs", "1", "--checkpoint-every", "1",
                "--out", a.toString()).expect(0);
        Files.writeString(csv, "x,y\n1,2\n2,4\n3,6\n4,8\n5,11\n");
        Cli.run("train", "--resume", a.toString(), "--epochs", "2", "--out", a.toString()).expect(2, "data differs");
    }
}
