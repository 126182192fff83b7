package io.ndopt.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.internal.gpusuite.Recipes;
import io.ndopt.param.Param;
import io.ndopt.train.TrainResult;
import io.ndopt.train.TrainState;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Save + load + continue is bitwise identical to an uninterrupted run for every recipe of {@link Recipes};
 * bad checkpoints are refused clearly.
 */
class CheckpointTest {
    @TempDir Path dir;

    static List<Recipes.Recipe> recipes() { return Recipes.ALL; }

    private static Dataset data() { return Synthetic.moons(200, 0.2, 0.1, 3, DataType.FLOAT); }

    private static Sequential model() {
        return Sequential.mlp(2, new int[] {16}, 1, Activation.TANH, Activation.IDENTITY, DataType.FLOAT, 9);
    }

    private static final TrainerOptions CFG = new TrainerOptions(6, 32, 5, 2, true, 0);

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void resumeMidEpochIsBitwiseIdentical(Recipes.Recipe recipe) throws IOException {
        Dataset[] split = data().split(0.25, 1);
        Sequential straight = model();
        TrainResult full = new Trainer(straight, Loss.BCE_WITH_LOGITS, recipe.get(straight.params()).build(straight.params()), CFG)
                .fit(split[0], split[1]);

        // first run: stop after 11 steps (mid-epoch) by checkpointing at step 11 and aborting
        Sequential first = model();
        Optimizer o1 = recipe.get(first.params()).build(first.params());
        TrainerOptions cfg = new TrainerOptions(CFG.epochs(), CFG.batchSize(), CFG.seed(), CFG.patience(), true, 11);
        StopAtCheckpoint.fit(new Trainer(first, Loss.BCE_WITH_LOGITS, o1, cfg), dir, first.params(), o1,
                Map.of("recipe", recipe.name()), split[0], split[1]);
        Checkpoint.Contents c = Checkpoint.load(dir);
        assertEquals(11, c.state().globalStep());
        Sequential resumed = model();
        Optimizer o2 = recipe.get(resumed.params()).build(resumed.params());
        Checkpoint.restore(c, resumed.params(), o2);
        TrainResult rest = new Trainer(resumed, Loss.BCE_WITH_LOGITS, o2, CFG).resume(c.state(), split[0], split[1]);
        assertEquals(full.steps(), rest.steps());
        assertEquals(full.history().size(), rest.history().size());
        for (int i = 0; i < straight.params().size(); i++) {
            Param a = straight.params().get(i), b = resumed.params().get(i);
            assertArrayEquals(a.value().ravel().toFloatVector(), b.value().ravel().toFloatVector(), 0f,
                    recipe + " " + a.name());
        }
        assertEquals(full.history().get(full.history().size() - 1).valLoss(),
                rest.history().get(rest.history().size() - 1).valLoss(), 0.0);
    }

    private Path saved() throws IOException {
        Sequential m = model();
        Optimizer o = Optimizer.adamw(0.01).build(m.params());
        TrainResult r = new Trainer(m, Loss.BCE_WITH_LOGITS, o, new TrainerOptions(1, 64, 1, 0, true, 0))
                .fit(data(), null);
        Checkpoint.save(dir, m.params(), o, new TrainState(1, 0, 4, r.history(), Double.POSITIVE_INFINITY, -1, 0,
                false, null), Map.of("lr", 0.01));
        return Checkpoint.file(dir);
    }

    /** Rewrites a checkpoint zip with one entry transformed. */
    private void rewriteEntry(Path f, String name, UnaryOperator<byte[]> change) throws IOException {
        rewrite(f, name, change, null, null);
    }

    /** Copies a checkpoint zip, entry {@code name} transformed by {@code change}, entry {@code add} appended. */
    private void rewrite(Path f, String name, UnaryOperator<byte[]> change, String add, byte[] added)
            throws IOException {
        byte[] all = Files.readAllBytes(f);
        Path tmp = dir.resolve("rewrite.tmpzip");
        try (var in = new ZipInputStream(new ByteArrayInputStream(all));
             var out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] data = in.readAllBytes();
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(e.getName().equals(name) ? change.apply(data) : data);
                out.closeEntry();
            }
            if (add != null) {
                out.putNextEntry(new ZipEntry(add));
                out.write(added);
                out.closeEntry();
            }
        }
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void truncatedCheckpointIsRefused() throws IOException {
        Path f = saved();
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void corruptedEntryFailsItsChecksum() throws IOException {
        // one parameter byte flipped: a valid zip with wrong content
        rewriteEntry(saved(), "params/fc1.W.npy", data -> {
            data[data.length - 3] ^= 0x40;
            return data;
        });
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("fc1.W") && e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void wrongVersionAndWrongShapeAreRefused() throws IOException {
        Path f = saved();
        Checkpoint.Contents ok = Checkpoint.load(dir);
        Sequential other = Sequential.mlp(2, new int[] {8}, 1, Activation.TANH, Activation.IDENTITY, DataType.FLOAT, 9);
        Optimizer o = Optimizer.adamw(0.01).build(other.params());
        double before = other.params().get(0).value().getDouble(0);
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.restore(ok, other.params(), o));
        assertTrue(e.getMessage().contains("fc1.W") && e.getMessage().contains("[2, 16]"), e.getMessage());
        assertEquals(before, other.params().get(0).value().getDouble(0), 0.0, "nothing was loaded");
        rewriteEntry(f, "manifest.json", data ->
                new String(data).replace("\"version\" : 2", "\"version\" : 99").getBytes());
        var v = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir));
        assertTrue(v.getMessage().contains("version 99"), v.getMessage());
        assertThrows(CheckpointException.class, () -> Checkpoint.load(dir.resolve("nowhere")));
    }

    /** Adds an entry to a checkpoint zip. */
    private void addEntry(Path f, String name, byte[] content) throws IOException {
        rewrite(f, null, null, name, content);
    }

    /** Edits the manifest and, when {@code reseal}, recomputes its seal as a careful forger would. */
    private void editManifest(Path f, String from, String to, boolean reseal) throws IOException {
        byte[][] edited = new byte[1][];
        rewriteEntry(f, "manifest.json", data -> {
            String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains(from), "the manifest holds " + from + ": " + text);
            edited[0] = text.replace(from, to).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return edited[0];
        });
        if (reseal) rewriteEntry(f, Checkpoint.SEAL, data -> Checkpoint.sha256(edited[0]).getBytes());
    }

    @Test
    void anEditedManifestFieldIsRefused() throws IOException {
        for (String[] edit : new String[][] {{"\"global_step\" : 4", "\"global_step\" : 3"},
                {"\"lr\" : 0.01", "\"lr\" : 0.02"}, {"\"batch\" : 0", "\"batch\" : 2"}}) {
            Path f = saved();
            editManifest(f, edit[0], edit[1], false);
            var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir), edit[1]);
            assertTrue(e.getMessage().contains(Checkpoint.SEAL), e.getMessage());
        }
    }

    @Test
    void anEntryTheManifestDoesNotListIsRefused() throws IOException {
        addEntry(saved(), "params/extra.npy", new byte[] {1, 2, 3});
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("params/extra.npy") && e.getMessage().contains("not listed"), e.getMessage());
    }

    @Test
    void resealedButInconsistentCountersAreRefused() throws IOException {
        String[][] edits = {
            {"\"batch\" : 0", "\"batch\" : 2"},                             // skips two batches
            {"\"global_step\" : 4", "\"global_step\" : 6"},
            {"\"epoch\" : 1,", "\"epoch\" : 0,"},
        };
        for (String[] edit : edits) {
            Path f = saved();
            editManifest(f, edit[0], edit[1], true);
            var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir), edit[1]);
            assertTrue(e.getMessage().contains("inconsistent counters"), e.getMessage());
        }
        Path f = saved();                                                      // the history wiped, resealed
        byte[][] edited = new byte[1][];
        rewriteEntry(f, "manifest.json", data -> edited[0] = new String(data, java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\"history\" : \\[[^\\]]*\\]", "\"history\" : [ ]")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        rewriteEntry(f, Checkpoint.SEAL, data -> Checkpoint.sha256(edited[0]).getBytes());
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("history has 0 epochs"), e.getMessage());
    }

    @Test
    void inconsistentCountersAreRefusedAtSaveToo() {
        Sequential m = model();
        Optimizer o = Optimizer.adamw(0.01).build(m.params());
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.save(dir, m.params(), o,
                new TrainState(0, 3, 3, List.of(), Double.POSITIVE_INFINITY, -1, 0, false, null), Map.of()));
        assertTrue(e.getMessage().contains("the optimizer took 0 steps"), e.getMessage());
    }

    @Test
    void aVersionOneCheckpointIsRefusedWithTheReason() throws IOException {
        rewriteEntry(saved(), "manifest.json", data ->
                new String(data).replace("\"version\" : 2", "\"version\" : 1").getBytes());
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("version 1") && e.getMessage().contains("start the run again"),
                e.getMessage());
    }
}
