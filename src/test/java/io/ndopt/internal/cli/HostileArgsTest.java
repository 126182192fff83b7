package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs of the round-3 closing audit: each refused as a usage error in words, no Java class names. */
class HostileArgsTest {
    @TempDir Path dir;

    @Test
    void noCommandIsAUsageError() {
        Cli c = Cli.run().expect(2, "Missing command", "train");
        assertFalse(c.out().contains("Usage"), "usage goes to stderr: " + c.out());
    }

    @Test
    void anEmptyLambdaListIsRefused() {
        Cli.run("sweep", "--lambdas", ",", "--out", dir.resolve("s").toString()).expect(2, "--lambdas is empty");
        Cli.run("path", "--dataset", "diabetes", "--model", "lasso", "--lambdas", ",", "--out", dir.resolve("p").toString())
                .expect(2, "--lambdas is empty");
        assertFalse(Files.exists(dir.resolve("s")) || Files.exists(dir.resolve("p")));
    }

    @Test
    void numberFlagsSayWhyWithoutJavaClassNames() {
        Cli c = Cli.run("demo", "sparse", "--seed", "1.5", "--out", dir.resolve("d").toString())
                .expect(2, "--seed", "not an integer: '1.5'");
        assertFalse(c.err().contains("java."), c.err());
        c = Cli.run("path", "--dataset", "diabetes", "--model", "lasso", "--test-split", "nan", "--out", dir.resolve("p").toString())
                .expect(2, "--test-split", "not a number: 'nan'");
        assertFalse(c.err().contains("java."), c.err());
    }

    @Test
    void aFileInTheWayOfAnOutputFolderIsNamed() throws Exception {
        Path spec = Files.writeString(dir.resolve("s.json"), "{\"problem\": {\"X\": [[1.0], [2.0]], \"y\": [1.0, 2.0]},"
                + " \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}, \"steps\": 2}");
        Cli c = Cli.run("fit", "--spec", spec.toString(), "--out", dir.resolve("s.json/r.json").toString())
                .expect(2, "s.json is a file, not a folder");
        assertFalse(c.err().contains("java."), c.err());
        Path csv = Files.createDirectory(dir.resolve("d.csv"));
        c = Cli.run("train", "--data", csv.toString(), "--target", "y", "--out", dir.resolve("o").toString())
                .expect(1, "is a folder, not a file");
        assertTrue(!c.err().contains("java."), c.err());
    }

    /** A folder where the run writes a file is refused before training, not after it (it cannot be written over). */
    @Test
    void aFolderNamedLikeAnOutputFileRefusesOverwriteUpFront() throws Exception {
        Path out = Files.createDirectories(dir.resolve("o/run.json"));
        Cli.run("train", "--dataset", "moons", "--hidden", "none", "--epochs", "1", "--out", out.getParent().toString(),
                "--overwrite").expect(2, "run.json/");
        assertFalse(Files.exists(dir.resolve("o/metrics.json")), "nothing written");
        assertTrue(Files.isDirectory(out));
    }
}
