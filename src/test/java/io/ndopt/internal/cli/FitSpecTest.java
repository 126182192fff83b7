package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** fit specs: strict keys and types (naming key and line), bounded trajectory, the non-finite policy. */
class FitSpecTest {
    @TempDir Path dir;
    private static final String PROBLEM =
            "\"problem\": {\"X\": [[1.0, 2.0], [3.0, 1.0], [0.0, 1.0]], \"y\": [1.0, 2.0, 0.5], \"w0\": [0.0, 0.0], "
                    + "\"b0\": 0.0}";

    private Cli fit(String body, String... more) throws Exception {
        Path spec = Files.writeString(dir.resolve("s.json"), "{" + PROBLEM + ",\n" + body + "}");
        String[] args = new String[5 + more.length];
        System.arraycopy(new String[] {"fit", "--spec", spec.toString(), "--out", dir.resolve("r.json").toString()},
                0, args, 0, 5);
        System.arraycopy(more, 0, args, 5, more.length);
        return Cli.run(args);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'\"steps\": 1.5, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}' | s.json:2 | 'steps'",
            "'\"steps\": 3, \"clip_norm\": 1, \"clip_global_norm\": 2, \"optimizer\": {\"type\": \"sgd\", \"lr\": "
                    + "0.1}' | s.json:2 | given twice",
            "'\"steps\": 3, \"clip_norms\": 1, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}' | s.json:2 | unknown "
                    + "key 'clip_norms'",
            "'\"steps\": 3, \"clip_global_norm\": \"abc\", \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}' | "
                    + "s.json:2 | must be a number",
            "'\"steps\": 3, \"regularize_bias\": \"yes\", \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1, "
                    + "\"weight_decay\": 0.1}' | s.json:2 | true or false",
            "'\"steps\": 3, \"optimizer\": {\"type\": \"adam\", \"lr\": 0.1, \"beta1\": 0.5}' | s.json:2 | 'beta1'",
            "'\"steps\": 3, \"optimizer\": {\"type\": \"adam\", \"lr\": \"0.1\"}' | s.json:2 | must be a number",
            "'\"steps\": 3, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}, \"contrast\": {\"optimizer\": "
                    + "{\"type\": \"adam\", \"lr\": 0.1, \"momentum\": 0.9}}' | s.json:2 | momentum",
            "'\"steps\": 3, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}, \"schedule\": {\"type\": \"cosine\", "
                    + "\"t_max\": \"10\"}' | s.json:2 | t_max",
            "'\"steps\": 100000000, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}' | limit | lower steps"})
    void badSpecsAreUsageErrorsNamingTheKey(String body, String where, String says) throws Exception {
        fit(body).expect(2, where, says);
        assertFalse(Files.exists(dir.resolve("r.json")));
    }

    @Test
    void problemKeysAreCheckedToo() throws Exception {
        Path spec = Files.writeString(dir.resolve("p.json"),
                "{\"problem\": {\"X\": [[1.0]], \"y\": [1.0], \"b0\": \"abc\"},\n"
                + " \"steps\": 1, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}}");
        Cli.run("fit", "--spec", spec.toString(), "--out", dir.resolve("r.json").toString())
                .expect(2, "p.json:1", "problem.b0", "must be a number");
        Files.writeString(spec,
                "{\"problem\": {\"X\": [[1.0]], \"y\": [1.0], \"p\": 2}, \"steps\": 1, \"optimizer\": {\"type\": "
                        + "\"sgd\", \"lr\": 0.1}}");
        Cli.run("fit", "--spec", spec.toString(), "--out", dir.resolve("r.json").toString())
                .expect(2, "problem.p is 2");
        Files.writeString(spec,
                "{\"problem\": {\"X\": [[1.0]], \"y\": [1.0], \"w_0\": [1]}, \"steps\": 1, \"optimizer\": {\"type\": "
                        + "\"sgd\", \"lr\": 0.1}}");
        Cli.run("fit", "--spec", spec.toString(), "--out", dir.resolve("r.json").toString()).expect(2, "problem.w_0");
    }

    @Test
    void divergenceNamesTheParameterAndSkipIsAvailable() throws Exception {
        String body = "\"steps\": 400, \"optimizer\": {\"type\": \"sgd\", \"lr\": 10.0}";
        fit(body).expect(1, "'w'", "step");
        fit(body, "--nonfinite", "skip").expect(0);
        JsonNode r = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
        assertTrue(r.get("skipped_steps").asLong() > 0, r.toString().substring(0, 200));
        assertTrue(r.get("loss").get(400).isNull() || r.get("loss").get(400).isNumber(),
                "NaN is written as null, never as a string");
        fit(body.replace("}", ", \"nonfinite\": \"skip\"}")).expect(0);
        fit(body, "--nonfinite", "maybe").expect(2, "one of error, propagate, skip");
        fit(body, "--nonfinite", "propagate").expect(0);         // as torch.optim: the NaN goes in, and is counted
        JsonNode p = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
        assertTrue(p.get("nonfinite_steps").asLong() > 0, p.toString().substring(0, 200));
        assertTrue(p.get("loss").get(400).isNull(), "the run went on with NaN parameters: " + p.get("loss").get(400));
        assertTrue(p.get("skipped_steps") == null, "nothing was skipped");
    }

    @Test
    void outMustNotBeAFolder() throws Exception {
        Files.createDirectory(dir.resolve("r.json"));
        fit("\"steps\": 1, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}").expect(2, "is a folder");
    }

    @Test
    void resultFilesFollowTheUmask() throws Exception {
        fit("\"steps\": 2, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}").expect(0);
        Path probe = Files.createFile(dir.resolve("probe"));
        assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(dir.resolve("r.json")));
    }
}
