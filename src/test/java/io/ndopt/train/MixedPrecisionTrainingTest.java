package io.ndopt.train;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.checkpoint.Checkpoint;
import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.device.Device;
import io.ndopt.device.MixedPrecision;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Training in each {@link MixedPrecision} over the stand-in driver: each mode really changes the arithmetic (and
 * nothing else: same data, same steps), fp16's loss scaler resumes bitwise from a checkpoint, and the refusals.
 */
class MixedPrecisionTrainingTest {
    @TempDir Path dir;

    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    private static final Dataset DATA = Synthetic.spirals(96, 3, 0.1, 4, DataType.FLOAT);

    private static Sequential model(DataType dt) {
        return Sequential.mlp(2, new int[] {8}, 3, Activation.TANH, Activation.IDENTITY, dt, 5);
    }

    private static TrainerOptions options(int epochs, MixedPrecision p) {
        return TrainerOptions.defaults().withEpochs(epochs).withBatchSize(16).withPrecision(p);
    }

    private static double[] values(Sequential m) {
        return m.params().stream().flatMapToDouble(q -> Arrays.stream(q.value().dup().data().asDouble())).toArray();
    }

    private static double[] train(MixedPrecision p) {
        Sequential m = model(DataType.FLOAT);
        try (Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(m.params())) {
            new Trainer(m, Loss.SOFTMAX_CROSS_ENTROPY, o, options(2, p)).fit(DATA, null);
        }
        return values(m);
    }

    /** TF32, BF16 and FP16 each give other parameters than FP32 (the mode is in effect), all close to them. */
    @Test void everyPrecisionChangesTheArithmeticOnly() {
        double[] fp32 = train(MixedPrecision.FP32);
        for (MixedPrecision p : List.of(MixedPrecision.TF32, MixedPrecision.BF16, MixedPrecision.FP16)) {
            double[] got = train(p);
            assertFalse(Arrays.equals(fp32, got), p + " computed exactly as fp32");
            for (int i = 0; i < got.length; i++) assertEquals(fp32[i], got[i], 0.05, p + " parameter " + i);
        }
        assertArrayEquals(fp32, train(MixedPrecision.FP32), "fp32 is repeatable");
    }

    /**
     * fp16 from scale 2^30 (the first steps overflow and are skipped): 2 epochs, a checkpoint file, 2 more epochs in
     * a new model and optimizer restored from it, equal bitwise to 4 epochs in one go: parameters, losses, scaler.
     */
    @Test void fp16ResumesBitwiseFromACheckpointWithTheScaler() throws Exception {
        LossScaler.State planted = new LossScaler.State(0x1p30f, 0, 0);
        Sequential whole = model(DataType.FLOAT);
        TrainState ws = new TrainState(0, 0, 0, List.of(), Double.POSITIVE_INFINITY, -1, 0, false, null, planted);
        TrainResult wr;
        try (Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(whole.params())) {
            wr = new Trainer(whole, Loss.SOFTMAX_CROSS_ENTROPY, o, options(4, MixedPrecision.FP16)).resume(ws, DATA, DATA);
        }
        assertTrue(ws.scalerSkippedSteps() > 0, "the planted scale overflows at first");

        Sequential first = model(DataType.FLOAT);
        TrainState s1 = new TrainState(0, 0, 0, List.of(), Double.POSITIVE_INFINITY, -1, 0, false, null, planted);
        try (Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(first.params())) {
            new Trainer(first, Loss.SOFTMAX_CROSS_ENTROPY, o, options(2, MixedPrecision.FP16)).resume(s1, DATA, DATA);
            Checkpoint.save(dir, first.params(), o, s1, Map.of());
        }
        Checkpoint.Contents c = Checkpoint.load(dir);
        assertEquals(s1.lossScaler(), c.state().lossScaler(), "the scaler's state survives the file");
        Sequential second = model(DataType.FLOAT);
        TrainResult r;
        try (Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(second.params())) {
            Checkpoint.restore(c, second.params(), o);
            r = new Trainer(second, Loss.SOFTMAX_CROSS_ENTROPY, o, options(4, MixedPrecision.FP16))
                    .resume(c.state(), DATA, DATA);
        }
        assertArrayEquals(values(whole), values(second));
        assertEquals(ws.lossScaler(), c.state().lossScaler());
        assertEquals(wr.history().get(3).trainLoss(), r.history().get(3).trainLoss(), 0.0);
        assertEquals(wr.history().get(3).valMetric(), r.history().get(3).valMetric(), 0.0);
    }

    @Test void precisionOtherThanFp32IsRefusedWhereItCannotRun() {
        Sequential m = model(DataType.FLOAT);
        try (Optimizer cpu = Optimizer.adam(1e-2).build(m.params())) {
            var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(m, Loss.SOFTMAX_CROSS_ENTROPY, cpu,
                    options(1, MixedPrecision.BF16)).fit(DATA, null));
            assertTrue(e.getMessage().contains("precision bf16 needs the network on a GPU"), e.getMessage());
        }
        Sequential d = model(DataType.DOUBLE);
        try (Optimizer gpu = Optimizer.adam(1e-2).device(Device.cuda(0)).build(d.params())) {
            var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(d, Loss.SOFTMAX_CROSS_ENTROPY, gpu,
                    options(1, MixedPrecision.FP16)).fit(DATA.castTo(DataType.DOUBLE), null));
            assertTrue(e.getMessage().contains("needs a float32 model") && e.getMessage().contains("DOUBLE"),
                    e.getMessage());
        }
        for (Param p : m.params()) assertEquals(DataType.FLOAT, p.dtype());
    }
}
