package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.internal.tensorboard.EventReader;
import io.ndopt.internal.tensorboard.EventReader.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every run folder gets TensorBoard event files whose records (CRCs checked) hold the same per-epoch values as
 * metrics.json / compare.json (as float32, TensorBoard's scalar type), a step-level loss per step, a weight
 * histogram per weight matrix and epoch, and the configuration; compare writes one subfolder per run;
 * {@code --tensorboard DIR} moves them, {@code none} turns them off.
 */
class TensorBoardCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The metrics.json history field of each epoch scalar (the metric's name: accuracy for classification). */
    static final Map<String, String> EPOCH_TAGS = Map.of("epoch/train_loss", "train_loss",
            "epoch/train_objective", "train_objective", "epoch/train_accuracy", "train_metric",
            "epoch/val_loss", "val_loss", "epoch/val_accuracy", "val_metric", "epoch/lr", "lr",
            "epoch/weight_norm", "weight_norm", "epoch/zero_fraction", "zero_fraction", "epoch/step_ms", "step_ms");
    @TempDir Path dir;

    static Map<String, List<Entry>> byTag(Path events) throws Exception {
        Map<String, List<Entry>> m = new LinkedHashMap<>();
        for (Entry e : EventReader.readAll(events)) m.computeIfAbsent(e.tag(), k -> new ArrayList<>()).add(e);
        return m;
    }

    /** Each epoch scalar equals the history's value (as a float), one per epoch, at step = the epoch. */
    static void assertEpochScalarsEqual(JsonNode history, Map<String, List<Entry>> tags) {
        for (var t : EPOCH_TAGS.entrySet()) {
            List<Entry> got = tags.get(t.getKey());
            assertEquals(history.size(), got == null ? 0 : got.size(), t.getKey());
            for (int i = 0; i < history.size(); i++) {
                assertEquals(i + 1, got.get(i).step(), t.getKey() + " step");
                assertEquals((float) history.get(i).get(t.getValue()).asDouble(), got.get(i).value(), 0.0,
                        t.getKey() + " at epoch " + (i + 1));
            }
        }
    }

    @Test
    void trainWritesScalarsHistogramsAndConfigEqualToMetricsJson() throws Exception {
        Path out = dir.resolve("run");
        Cli.run("train", "--dataset", "blobs", "--hidden", "16", "--optimizer", "sgd", "--lr", "0.1", "--l1", "1e-2",
                "--epochs", "3", "--batch-size", "64", "--timing-warmup", "0", "--out", out.toString()).expect(0);
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        Map<String, List<Entry>> tags = byTag(out.resolve("tensorboard"));
        assertEpochScalarsEqual(m.get("history"), tags);
        assertTrue(m.get("zero_weight_fraction").asDouble() > 0, "l1 made exact zeros, so the check is not 0 == 0");
        assertEquals(m.get("steps").asLong(), tags.get("step/loss").size(), "one step/loss per step");
        assertEquals(m.get("steps").asLong(), tags.get("step/loss").get(tags.get("step/loss").size() - 1).step());
        assertEquals(m.get("steps").asLong(), tags.get("step/grad_norm").stream().filter(e -> e.value() > 0).count(),
                "a positive gradient norm per step");
        assertEquals((float) 0.1, tags.get("step/lr").get(0).value(), 0.0);
        assertEquals(m.get("nonfinite_steps").asDouble(), tags.get("epoch/nonfinite_steps").get(2).value(), 0.0);
        assertEquals(m.get("skipped_steps").asDouble(), tags.get("epoch/skipped_steps").get(2).value(), 0.0);
        for (String w : List.of("weights/fc1.W", "weights/out.W")) {
            assertEquals(3, tags.get(w).size(), w + " once per epoch");
        }
        double sum = 0;
        for (double c : tags.get("weights/fc1.W").get(2).histogramCounts()) sum += c;
        assertEquals(8 * 16, sum, 0.0, "fc1.W: 8 inputs x 16 units, every weight in one bucket");
        String config = tags.get("config").get(0).text();
        assertEquals(m.get("config"), JSON.readTree(config.replace("```", "")), "the configuration, as text");
        JsonNode manifest = JSON.readTree(out.resolve("run.json").toFile());
        List<String> listed = new ArrayList<>();
        manifest.get("files").forEach(f -> listed.add(f.get("path").asText()));
        assertTrue(listed.stream().anyMatch(p -> p.startsWith("tensorboard/events.out.tfevents.")), listed.toString());
    }

    @Test
    void compareWritesOneSubfolderPerRun() throws Exception {
        Path out = dir.resolve("cmp");
        Cli.run("compare", "--dataset", "moons", "--hidden", "8", "--epochs", "2", "--timing-warmup", "0",
                "--run", "adam:lr=1e-2,wd=1e-3", "--run", "adamw:lr=1e-2,wd=1e-2", "--out", out.toString()).expect(0);
        JsonNode runs = JSON.readTree(out.resolve("compare.json").toFile()).get("runs");
        List<Path> subs;
        try (Stream<Path> s = Files.list(out.resolve("tensorboard"))) {
            subs = s.sorted().toList();
        }
        assertEquals(List.of("1_adam_lr=1e-2,wd=1e-3", "2_adamw_lr=1e-2,wd=1e-2"),
                subs.stream().map(p -> p.getFileName().toString()).toList());
        for (int i = 0; i < 2; i++) assertEpochScalarsEqual(runs.get(i).get("history"), byTag(subs.get(i)));
    }

    @Test
    void elsewhereOrNone() throws Exception {
        Path out = dir.resolve("a"), tb = dir.resolve("logs");
        String[] common = {"train", "--dataset", "blobs", "--hidden", "4", "--epochs", "1", "--timing-warmup", "0"};
        Cli.run(Cli.train(java.util.Arrays.copyOfRange(common, 1, common.length), "--tensorboard", tb.toString(),
                "--out", out.toString())).expect(0);
        assertFalse(Files.exists(out.resolve("tensorboard")));
        assertEquals(1, EventReader.readAll(tb).stream().filter(e -> e.tag().equals("epoch/train_loss")).count());
        Path b = dir.resolve("b");
        Cli c = Cli.run(Cli.train(java.util.Arrays.copyOfRange(common, 1, common.length), "--tensorboard", "none",
                "--out", b.toString())).expect(0);
        assertFalse(Files.exists(b.resolve("tensorboard")));
        assertFalse(c.out().contains("tensorboard --logdir"), c.out());
    }
}
