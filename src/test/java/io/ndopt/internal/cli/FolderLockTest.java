package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.Conformance;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs on one output at once: the second is refused by name while the first holds the folder's OS lock. */
class FolderLockTest {
    @TempDir Path dir;

    private static final String[] BLOBS = {"--dataset", "blobs", "--hidden", "4", "--epochs", "1", "--batch-size", "200"};

    @Test
    void aSecondRunInThisJvmIsRefusedWhileTheFirstHoldsTheFolder() throws Exception {
        Path out = dir.resolve("run");
        try (RunFolder first = RunFolder.prepare(out, "train", false, null, System.out)) {
            first.begin();
            assertTrue(Files.exists(out.resolve(RunFolder.LOCK)));
            Cli.run(Cli.train(BLOBS, "--out", out.toString())).expect(2, "--out " + out,
                    "is in use by another ndopt run");
            Cli.run(Cli.train(BLOBS, "--out", out.toString(), "--overwrite")).expect(2, "in use");
            Cli.run("compare", "--dataset", "blobs", "--hidden", "4", "--epochs", "1", "--run", "adam:lr=0.01",
                    "--run", "sgd:lr=0.1", "--out", out.toString(), "--overwrite").expect(2, "in use");
            Cli.run("path", "--dataset", "diabetes", "--model", "ridge", "--out", out.toString(), "--overwrite")
                    .expect(2, "in use");
            assertTrue(Files.exists(out.resolve(RunFolder.MARKER)), "the first run's files are untouched");
        }
        assertFalse(Files.exists(out.resolve(RunFolder.LOCK)), "the lock file goes with the lock");
        Files.delete(out.resolve(RunFolder.MARKER));
        Cli.run(Cli.train(BLOBS, "--out", out.toString())).expect(0);
        assertFalse(Files.exists(out.resolve(RunFolder.LOCK)), "no lock file left after a run");
    }

    @Test
    void aRunInAnotherProcessHoldsTheFolderUntilItEnds() throws Exception {
        Path out = Files.createDirectory(dir.resolve("run"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), out.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader o = new BufferedReader(new InputStreamReader(p.getInputStream()));
            String line;
            while ((line = o.readLine()) != null && !line.equals("locked")) { /* JVM warnings */ }
            assertEquals("locked", line, "the other process took the lock");
            Cli.run(Cli.train(BLOBS, "--out", out.toString())).expect(2, "--out " + out,
                    "is in use by another ndopt run");
            assertFalse(Files.exists(out.resolve("metrics.json")));
            p.getOutputStream().close();                      // the other run ends
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
        Cli.run(Cli.train(BLOBS, "--out", out.toString())).expect(0);
    }

    @Test
    void aLockFileLeftByAKilledRunIsTakenOverNotCountedAsContent() throws Exception {
        Path out = Files.createDirectory(dir.resolve("run"));
        Files.writeString(out.resolve(RunFolder.LOCK), "ndopt lock 12345 left behind\n");
        Cli.run(Cli.train(BLOBS, "--out", out.toString())).expect(0);
        assertFalse(Files.exists(out.resolve(RunFolder.LOCK)));
        assertFalse(Files.readString(out.resolve(RunFolder.MANIFEST)).contains(RunFolder.LOCK));
    }

    @Test
    void fitRefusesAnOutputFileAnotherFitIsWriting() throws Exception {
        Path out = dir.resolve("r.json");
        Path spec = Conformance.file("prox_l1_sgd.json");
        try (FolderLock held = FolderLock.acquire(dir.resolve(".r.json.ndopt.lock"), "--out " + out)) {
            Cli.run("fit", "--spec", spec.toString(), "--out", out.toString()).expect(2, "--out " + out,
                    "is in use by another ndopt run");
        }
        Cli.run("fit", "--spec", spec.toString(), "--out", out.toString()).expect(0);
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "only r.json: the fit's lock file is gone");
        }
    }
}
