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
        new Trainer(m, Loss.BCE_WITH_LOGITS, o, new TrainerOptions(1, 64, 1, 0, true, 0)).fit(data(), null);
        Checkpoint.save(dir, m.params(), o, new TrainState(1, 0, 4, List.of(), Double.POSITIVE_INFINITY, -1, 0, false,
                null), Map.of());
        return Checkpoint.file(dir);
    }

    /** Rewrites a checkpoint zip with one entry transformed. */
    private void rewriteEntry(Path f, String name, UnaryOperator<byte[]> change) throws IOException {
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
                new String(data).replace("\"version\" : 1", "\"version\" : 99").getBytes());
        var v = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir));
        assertTrue(v.getMessage().contains("version 99"), v.getMessage());
        assertThrows(CheckpointException.class, () -> Checkpoint.load(dir.resolve("nowhere")));
    }
}
