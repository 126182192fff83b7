package io.ndopt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.checkpoint.Checkpoint;
import io.ndopt.data.DataFiles;
import io.ndopt.data.Dataset;
import io.ndopt.data.StreamingDataset;
import io.ndopt.internal.io.Npy;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training on a stream: with a full shuffle buffer it equals the in-memory run bit for bit (same standardization
 * statistics), and a run stopped mid-epoch and resumed from its checkpoint equals the uninterrupted run bit for bit.
 */
class StreamTrainingTest {
    @TempDir Path dir;

    private Path shards(int rows) throws Exception {
        Path d = Files.createDirectories(dir.resolve("data"));
        SplittableRandom r = new SplittableRandom(2);
        for (int s = 0; s < 4; s++) {
            float[][] t = new float[rows / 4][4];
            for (float[] row : t) {
                for (int c = 0; c < 3; c++) row[c] = (float) (r.nextGaussian() * (c + 1) + c);
                row[3] = row[0] - row[1] * row[2] > 0 ? 1 : 0;
            }
            Files.write(d.resolve("part-" + s + ".npy"), Npy.write(Nd4j.createFromArray(t)));
        }
        return d;
    }

    private static Sequential model() {
        return Sequential.mlp(3, new int[] {6}, 1, Activation.TANH, Activation.IDENTITY, DataType.FLOAT, 9);
    }

    private static Optimizer adam(Sequential m) { return Optimizer.adamw(1e-2).weightDecay(1e-3).build(m.params()); }

    private static final TrainerOptions OPTS = new TrainerOptions(3, 16, 5, 0, false, 0);

    @Test void aFullBufferStreamEqualsTheInMemoryRun() throws Exception {
        Path d = shards(200);
        StreamingDataset s = StreamingDataset.open(d, null, true, DataType.FLOAT, 0.2, 5, 1 << 20);
        Dataset[] split = DataFiles.load(d, null, true, DataType.FLOAT).split(0.2, 5);
        Sequential a = model(), b = model();
        TrainResult streamed = new Trainer(a, Loss.BCE_WITH_LOGITS, adam(a), OPTS).fit(s);
        TrainResult memory = new Trainer(b, Loss.BCE_WITH_LOGITS, adam(b), OPTS)
                .fit(s.standardizer().apply(split[0]), s.standardizer().apply(split[1]));
        assertEquals(values(b), values(a), "parameters, bit for bit");
        for (int e = 0; e < 3; e++) {
            EpochRecord x = streamed.history().get(e), y = memory.history().get(e);
            assertEquals(y.valLoss(), x.valLoss(), 0.0, "validation loss, epoch " + e);
            assertEquals(y.trainMetric(), x.trainMetric(), 0.0, "training accuracy, epoch " + e);
            assertEquals(y.trainLoss(), x.trainLoss(), 1e-6 * Math.abs(y.trainLoss()), "training loss, epoch " + e);
        }
    }

    @Test void aResumeMidEpochContinuesBitForBit() throws Exception {
        Path d = shards(400);
        StreamingDataset s = StreamingDataset.open(d, null, true, DataType.FLOAT, 0.1, 5, 50);   // windows of 50
        assertTrue(!s.fullPermutation());
        Sequential a = model();
        Optimizer oa = adam(a);
        TrainResult whole = new Trainer(a, Loss.BCE_WITH_LOGITS, oa, OPTS).fit(s);

        Path ckpt = dir.resolve("ckpt.zip");
        Sequential b = model();
        Optimizer ob = adam(b);
        TrainerOptions every = new TrainerOptions(3, 16, 5, 0, false, 30);       // step 30: epoch 1, batch 7 of 23
        assertThrows(Stop.class, () -> new Trainer(b, Loss.BCE_WITH_LOGITS, ob, every).listener(new TrainListener() {
            @Override public void onCheckpoint(TrainState st) {
                try {
                    Checkpoint.save(ckpt, b.params(), ob, st, Map.of(), Map.of("stream", s.position(st.epoch(),
                            st.batch(), 16)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new Stop();
            }
        }).fit(s));
        Checkpoint.Contents c = Checkpoint.load(ckpt);
        assertEquals(1, c.state().epoch());
        assertEquals(7, c.state().batch());
        @SuppressWarnings("unchecked")
        Map<String, Object> pos = (Map<String, Object>) c.run().get("stream");
        assertEquals(2, ((Number) pos.get("window")).intValue(), "batch 7 starts at row 112: window 2");
        assertEquals(12, ((Number) pos.get("window_offset")).intValue());

        Sequential r = model();
        Optimizer or = adam(r);
        Checkpoint.restore(c, r.params(), or);
        TrainResult resumed = new Trainer(r, Loss.BCE_WITH_LOGITS, or, OPTS).resume(c.state(), s);
        assertEquals(values(a), values(r), "resumed parameters, bit for bit");
        assertEquals(whole.history().get(2).valLoss(), resumed.history().get(2).valLoss(), 0.0);
        assertEquals(whole.steps(), resumed.steps());
        Sequential fresh = model();
        assertNotEquals(values(fresh), values(r));
    }

    @Test void batchedEvaluationEqualsOneEvaluation() {
        SplittableRandom r = new SplittableRandom(8);
        double[][] x = new double[103][3], y = new double[103][2];
        for (int i = 0; i < 103; i++) {
            for (int c = 0; c < 3; c++) x[i][c] = r.nextGaussian();
            y[i][0] = 100 + x[i][0] + 0.1 * r.nextGaussian();
            y[i][1] = x[i][1] * x[i][2];
        }
        Dataset d = new Dataset(Nd4j.createFromArray(x), Nd4j.createFromArray(y), 0);
        Sequential m = Sequential.mlp(3, new int[] {4}, 2, Activation.TANH, Activation.IDENTITY, DataType.DOUBLE, 1);
        Metrics.Eval whole = Metrics.evaluate(m, d, Loss.MSE);
        java.util.List<Dataset> parts = new java.util.ArrayList<>();
        for (int from = 0; from < 103; from += 10) {
            parts.add(d.rows(java.util.stream.IntStream.range(from, Math.min(103, from + 10)).toArray()));
        }
        Metrics.Eval batched = StreamEvaluation.of(m, Loss.MSE, parts.iterator());
        assertEquals(whole.loss(), batched.loss(), 1e-12 * whole.loss());
        assertEquals(whole.metric(), batched.metric(), 1e-12 * Math.abs(whole.metric()), "R²");
    }

    private static final class Stop extends RuntimeException {}

    private static String values(Sequential m) {
        return m.params().stream().map(Param::value).map(StreamTrainingTest::bits).collect(Collectors.joining(";"));
    }

    private static String bits(INDArray v) {
        float[] f = v.dup('c').reshape(v.length()).toFloatVector();
        StringBuilder b = new StringBuilder();
        for (float x : f) b.append(Integer.toHexString(Float.floatToRawIntBits(x))).append(',');
        return b.toString();
    }
}
