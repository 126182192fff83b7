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
import org.junit.jupiter.params.provider.ValueSource;

/** The element-wise torch.optim rules and Lion through the one configuration path: --optimizer, --run, config files. */
class FamilyCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam", "rprop", "lion"})
    void trainsEachRule(String type) throws Exception {
        Path out = dir.resolve(type);
        assertEquals(0, CliTest.quiet("train", "--dataset", "blobs", "--hidden", "8", "--optimizer", type,
                "--epochs", "3", "--batch-size", "64", "--out", out.toString()));
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(type, m.get("config").get("optimizer").asText());
        assertEquals(3, m.get("history").size());
        for (JsonNode epoch : m.get("history")) assertTrue(Double.isFinite(epoch.get("val_loss").asDouble()), type);
    }

    @Test
    void compareTakesAnyMixWithTheirFields() throws Exception {
        Path out = dir.resolve("cmp");
        assertEquals(0, CliTest.quiet("compare", "--dataset", "moons", "--hidden", "8", "--epochs", "2",
                "--run", "rmsprop:lr=1e-2,centered=true,momentum=0.9,alpha=0.9",
                "--run", "nadam:decoupled_weight_decay=true,wd=0.01,momentum_decay=0.004",
                "--run", "rprop:etas=0.4/1.3,step_sizes=1e-6/1", "--run", "lion:lr=1e-4,betas=0.9/0.99,wd=0.1",
                "--run", "adagrad:lr_decay=0.01,initial_accumulator_value=0.1", "--run", "adamw:lr=1e-3",
                "--out", out.toString()));
        JsonNode c = JSON.readTree(out.resolve("compare.json").toFile());
        assertEquals(6, c.get("runs").size());
    }

    @Test
    void configFileNamesARuleAndItsFields() throws Exception {
        Path cfg = dir.resolve("run.yaml");
        Files.writeString(cfg, "dataset: blobs\nhidden: [8]\nepochs: 2\noptimizer: adadelta\nrho: 0.95\neps: 1e-5\n");
        Path out = dir.resolve("cfg");
        assertEquals(0, CliTest.quiet("train", "--config", cfg.toString(), "--out", out.toString()));
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("adadelta", m.get("config").get("optimizer").asText());
        assertEquals(0.95, m.get("config").get("rho").asDouble());
    }

    @Test
    void fieldsOfAnotherRuleAndRefusedCombinationsAreUsageErrors() {
        String o = dir.resolve("o").toString();
        Cli.run("train", "--optimizer", "rprop", "--wd", "0.1", "--out", o).expect(2, "weight_decay", "rprop");
        Cli.run("train", "--optimizer", "lion", "--rho", "0.9", "--out", o).expect(2, "rho", "lion");
        Cli.run("train", "--optimizer", "rmsprop", "--alpha", "1.5", "--out", o).expect(2, "alpha");
        Cli.run("compare", "--run", "rprop:etas=1.5/2", "--out", o).expect(2, "eta_minus");
        Cli.run("compare", "--run", "nadam:decoupled_weight_decay=true", "--out", o)
                .expect(2, "decoupled_weight_decay", "without weight decay");
        Cli.run("train", "--optimizer", "rprop", "--schedule", "cosine:t_max=10", "--out", o)
                .expect(2, "Rprop", "schedule");
        assertFalse(Files.exists(dir.resolve("o")), "nothing written for a usage error");
    }
}
