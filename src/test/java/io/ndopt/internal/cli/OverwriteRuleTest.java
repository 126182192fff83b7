package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --overwrite deletes only files a previous run's manifest lists with matching SHA-256; never the user's. */
class OverwriteRuleTest {
    @TempDir Path dir;

    private static final String[] BLOBS = {"--dataset", "blobs", "--hidden", "4", "--epochs", "1", "--batch-size", "200"};
    private static final String ZEROS = "0".repeat(64);

    private static Path write(Path p, String text) throws Exception {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test
    void aFolderThatNeverHeldARunLosesNothing() throws Exception {
        Path out = dir.resolve("mine");
        Path w = write(out.resolve("params/weights.npy"), "my weights");
        Path c = write(out.resolve("checkpoint/notes.txt"), "my notes");
        Path p = write(out.resolve("pruned/list.txt"), "my list");
        Cli.run(Cli.train(BLOBS, "--out", out.toString(), "--overwrite"))
                .expect(2, "--overwrite deletes only", "params/weights.npy", "checkpoint/notes.txt", "pruned/list.txt");
        assertEquals("my weights", Files.readString(w));
        assertEquals("my notes", Files.readString(c));
        assertEquals("my list", Files.readString(p));
        assertFalse(Files.exists(out.resolve(RunFolder.MARKER)), "refused before writing anything");
    }

    @Test
    void filesElsewhereStayAndTheMessageSaysSo() throws Exception {
        Path out = dir.resolve("mine");
        Path notes = write(out.resolve("notes.txt"), "keep me");
        Path data = write(out.resolve("data/x.csv"), "a,b\n");
        Cli c = Cli.run(Cli.train(BLOBS, "--out", out.toString(), "--overwrite")).expect(0);
        assertFalse(c.out().contains("deleted  of"), c.out());
        assertTrue(c.out().contains("--overwrite: no file of a previous run to delete"), c.out());
        assertTrue(c.out().contains("left in place 2 files that no previous run's manifest vouches for: data/x.csv, "
                + "notes.txt"), c.out());
        assertEquals("keep me", Files.readString(notes));
        assertEquals("a,b\n", Files.readString(data));
        assertFalse(Files.readString(out.resolve(RunFolder.MANIFEST)).contains("notes.txt"), "not adopted");
    }

    @Test
    void aListedFileWhoseHashDiffersIsKept() throws Exception {
        Path out = dir.resolve("foreign");
        Path mine = write(out.resolve("mine.txt"), "abc");
        write(out.resolve(RunFolder.MANIFEST), "{\"format\": \"ndopt-run\", \"version\": 1, \"files\": ["
                + "{\"path\": \"mine.txt\", \"bytes\": 3, \"sha256\": \"" + ZEROS + "\"}]}");
        Cli c = Cli.run(Cli.train(BLOBS, "--out", out.toString(), "--overwrite")).expect(0);
        assertEquals("abc", Files.readString(mine));
        assertTrue(c.out().contains("left in place 1 file that no previous run's manifest vouches for: mine.txt"),
                c.out());
    }

    @Test
    void anEditedFileOfAPreviousRunIsNotDeletedAndNotWrittenOver() throws Exception {
        Path out = dir.resolve("run");
        Cli.run(Cli.train(BLOBS, "--out", out.toString())).expect(0);
        Path w = out.resolve("params/fc1.W.npy");
        Files.writeString(w, "edited by the user");
        Cli.run(Cli.train(BLOBS, "--out", out.toString(), "--overwrite")).expect(2, "params/fc1.W.npy");
        assertEquals("edited by the user", Files.readString(w));
        assertTrue(Files.exists(out.resolve("metrics.json")), "nothing deleted when refused");
    }

    @Test
    void aPreviousRunsVerifiedFilesGoAndNothingElse() throws Exception {
        Path out = dir.resolve("run");
        Cli.run(Cli.train(BLOBS, "--checkpoint-every", "1", "--out", out.toString())).expect(0);
        Path extra = write(out.resolve("analysis/plot.py"), "print(1)");
        Cli c = Cli.run(Cli.train(BLOBS, "--out", out.toString(), "--overwrite")).expect(0);
        assertTrue(c.out().contains("--overwrite: deleted 9 files of the previous run"), c.out());
        assertFalse(Files.exists(out.resolve("checkpoint")), "the old run's checkpoint and its emptied folder");
        assertEquals("print(1)", Files.readString(extra));
    }

    @Test
    void aManifestCannotReachOutsideTheFolderOrThroughALink() throws Exception {
        Path outside = write(dir.resolve("outside.txt"), "abc");
        String sha = RunFolder.sha256("abc".getBytes());
        Path out = dir.resolve("run");
        Files.createDirectories(out);
        Files.createSymbolicLink(out.resolve("link.txt"), outside);
        Files.createSymbolicLink(out.resolve("linked"), dir);
        write(out.resolve(RunFolder.MANIFEST), "{\"format\": \"ndopt-run\", \"version\": 1, \"files\": ["
                + "{\"path\": \"../outside.txt\", \"bytes\": 3, \"sha256\": \"" + sha + "\"},"
                + "{\"path\": \"link.txt\", \"bytes\": 3, \"sha256\": \"" + sha + "\"},"
                + "{\"path\": \"linked/outside.txt\", \"bytes\": 3, \"sha256\": \"" + sha + "\"}]}");
        Cli.run(Cli.train(BLOBS, "--out", out.toString(), "--overwrite")).expect(0);
        assertEquals("abc", Files.readString(outside));
        assertTrue(Files.isSymbolicLink(out.resolve("link.txt")));
    }
}
