package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.device.Device;
import io.ndopt.internal.device.Gpu;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad values, empty values and settings without effect: exit 2 before any work, message naming the culprit. */
class UsageErrorsTest {
    @TempDir Path dir;

    private String out() { return dir.resolve("o").toString(); }

    @Test
    void emptyAndMalformedValues() {
        Cli.run("train", "--out=", "--epochs", "1").expect(2, "--out");
        Cli.run("train", "--hidden=", "--out", out()).expect(2, "'hidden'");
        Cli.run("train", "--hidden", "4,", "--out", out()).expect(2, "'hidden'");
        Cli.run("train", "--lr", "NaN", "--out", out()).expect(2, "--lr", "'NaN'");
        Cli.run("train", "--lr", "5d", "--out", out()).expect(2, "'5d'");
        Cli.run("train", "--batch-size", "0", "--out", out()).expect(2, "batch_size", ">= 1");
        Cli.run("train", "--epochs", "0", "--out", out()).expect(2, "epochs", ">= 1");
        Cli.run("train", "--nesterov=maybe", "--out", out()).expect(2, "true or false");
        Cli.run("sweep", "--folds", "0x3", "--out", out()).expect(2, "0x3");
        Cli.run("sweep", "--lambdas", "1,,2", "--out", out()).expect(2);
        Cli.run("compare", "--run", "adam:lr=1e-3,", "--out", out()).expect(2, "key=value");
        Cli.run("train", "--schedule", "cosine:t_max=1.5", "--out", out()).expect(2, "t_max", "integer");
        assertFalse(Files.exists(dir.resolve("o")), "nothing written for a usage error");
    }

    /** Values a library parser or the optimizer's build rejects are the user's: exit 2 too, never 1 (#24). */
    @Test
    void valuesRejectedByTheLibraryAreUsageErrors() throws Exception {
        Cli.run("fit", "--spec", "x.json", "--out", "y.json", "--device", "gpu").expect(2, "--device", "'gpu'");
        if (!Gpu.whyNot(Device.cuda(7)).isEmpty()) {
            Cli.run("fit", "--spec", "x.json", "--out", "y.json", "--device", "cuda:7").expect(2, "--device", "cuda:7");
        }
        Cli.run("gpu-check", "--out", out(), "--device", "gpu").expect(2, "--device");
        Cli.run("gpu-check", "--out", out(), "--device", "cpu", "--cases", dir.resolve("none").toString())
                .expect(2, "--cases");
        Cli.run("gpu-bench", "--out", out(), "--reps", "0").expect(2, "--reps");
        Cli.run("gpu-bench", "--out", out(), "--device", "gpu").expect(2, "--device");
        Cli.run("gpu-bench", "--out", out(), "--mlp", "medium").expect(2, "--mlp", "medium");
        Cli.run("gpu-bench", "--out", out(), "--sizes", "0").expect(2, "--sizes");
        Path cfg = dir.resolve("g.yaml");
        Files.writeString(cfg, "dataset: blobs\nepochs: 1\ngroup_lasso: {lambda: 0.1, groups: [[0, 999]]}\n");
        Cli.run("train", "--config", cfg.toString(), "--out", out()).expect(2, "optimizer", "999");
        assertFalse(Files.exists(dir.resolve("o")), "nothing written for a usage error");
    }

    @Test
    void settingsWithoutEffect() {
        Cli.run("train", "--optimizer", "prox_sgd", "--wd", "0.1", "--out", out())
                .expect(2, "weight_decay", "prox_sgd");
        Cli.run("train", "--optimizer", "adam", "--momentum", "0.9", "--out", out()).expect(2, "momentum", "adam");
        Cli.run("train", "--optimizer", "adam", "--nesterov", "--out", out()).expect(2, "nesterov");
        Cli.run("sweep", "--optimizer", "prox_sgd", "--penalty", "weight_decay", "--lambdas", "0.1", "--out", out())
                .expect(2, "weight_decay", "prox_sgd");
        Cli.run("sweep", "--l2", "0.1", "--penalty", "l2", "--lambdas", "0.1", "--out", out()).expect(2, "'l2'");
        Cli.run("sweep", "--val-split", "0.3", "--lambdas", "0.1", "--out", out()).expect(2, "val_split");
        Cli.run("sweep", "--lambdas", "0.1", "--grid", "1e-3:1:3", "--out", out()).expect(2, "exclude");
        Cli.run("compare", "--optimizer", "sgd", "--run", "adam:lr=0.1", "--out", out()).expect(2, "optimizer");
        Cli.run("compare", "--momentum", "0.9", "--run", "adam:lr=0.1", "--out", out()).expect(2, "momentum");
        Cli.run("train", "--allow-changes", "--out", out()).expect(2, "--resume");
        assertFalse(Files.exists(dir.resolve("o")));
    }

    @Test
    void configFileErrorsNameFileLineAndKey() throws Exception {
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "dataset: blobs\nepochs: 1.7\n");
        Cli.run("train", "--config", cfg.toString(), "--out", out()).expect(2, "c.yaml:2", "'epochs'", "integer");
        Files.writeString(cfg, "dataset: blobs\nclip_norms: 1\n");
        Cli.run("train", "--config", cfg.toString(), "--out", out()).expect(2, "c.yaml:2", "clip_norms", "clip_norm");
        Files.writeString(cfg, "lr: 0.1\nlr: 0.2\n");
        Cli.run("train", "--config", cfg.toString(), "--out", out()).expect(2, "given twice");
        Files.writeString(cfg, "lr: [0.1\n");
        Cli.run("train", "--config", cfg.toString(), "--out", out()).expect(2, "c.yaml:", "malformed YAML");
        Path json = dir.resolve("c.json");
        Files.writeString(json,
                "{\"optimizer\": {\"type\": \"adam\", \"lr\": 0.01, \"betas\": [0.9, 0.99]},\n \"regularize_bias\": "
                        + "\"yes\"}");
        Cli.run("train", "--config", json.toString(), "--out", out())
                .expect(2, "c.json:2", "decay_bias", "true or false");
    }

    @Test
    void compareRefusesDuplicateRunsBeforeTraining() {
        Cli c = Cli.run("compare", "--dataset", "blobs", "--hidden", "4", "--epochs", "1", "--run", "adam:lr=1e-3",
                "--run", "adam:lr=0.001",
                "--out", out()).expect(2, "same optimizer");
        assertFalse(c.out().contains("epoch 1/1"), "nothing trained");
    }

    @Test
    void modelSizeIsCheckedUpFront() {
        Cli.run("train", "--hidden", "20000,20000", "--out", out()).expect(2, "max_params");
        Cli.run("train", "--hidden", "2000000000,2000000000,2000000000", "--out", out()).expect(2, "max_params");
    }

    @Test
    void foldsMustFitTheData() throws Exception {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "a,y\n1,2\n2,3\n3,5\n");
        Cli c = Cli.run("sweep", "--data", csv.toString(), "--hidden", "none", "--folds", "10", "--lambdas", "0.1",
                "--out", out());
        c.expect(2, "--folds 10", "3 rows");
        assertTrue(c.out().isEmpty() || !c.out().contains("val_loss"));
    }
}
