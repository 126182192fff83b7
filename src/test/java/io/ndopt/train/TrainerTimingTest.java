package io.ndopt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The step time of a run excludes the first epoch (JIT warm-up): {@link TrainResult#msPerStep} is the median of
 * the later epochs' {@link EpochRecord#stepMs}, the first epoch is reported apart; each epoch records ‖W‖ and the
 * exact-zero fraction of the model as it stands at that epoch's end.
 */
class TrainerTimingTest {
    private static TrainResult run(int epochs, double l1) {
        Dataset d = Synthetic.moons(64, 0.2, 0, 3, DataType.DOUBLE);
        Sequential m = Sequential.mlp(2, new int[] {8}, 1, Activation.RELU, Activation.IDENTITY, DataType.DOUBLE, 1);
        try (Optimizer opt = Optimizer.sgd(0.1).l1(l1).build(m.params())) {
            return new Trainer(m, Loss.BCE_WITH_LOGITS, opt, new TrainerOptions(epochs, 16, 1, 0, true, 0))
                    .fit(d, null);
        }
    }

    @Test
    void msPerStepIsTheMedianOfTheEpochsAfterTheFirst() {
        TrainResult r = run(4, 0);
        List<EpochRecord> h = r.history();
        for (EpochRecord e : h) assertTrue(e.stepMs() > 0, "epoch " + e.epoch() + " timed: " + e.stepMs());
        assertEquals(h.get(0).stepMs(), r.firstEpochMsPerStep(), 0.0);
        double[] later = h.subList(1, 4).stream().mapToDouble(EpochRecord::stepMs).sorted().toArray();
        assertEquals(later[1], r.msPerStep(), 0.0, "median of epochs 2..4");
    }

    @Test
    void oneEpochHasNoSteadyStateTime() {
        TrainResult r = run(1, 0);
        assertTrue(Double.isNaN(r.msPerStep()), "one epoch: only the warm-up epoch, no steady state");
        assertEquals(r.history().get(0).stepMs(), r.firstEpochMsPerStep(), 0.0);
    }

    @Test
    void epochsRecordTheWeightNormAndExactZerosAtTheirEnd() {
        TrainResult r = run(3, 1.0);
        EpochRecord last = r.last();
        assertEquals(r.weightNorm(), last.weightNorm(), 1e-12);
        assertEquals(r.sparsity().zeroFraction(), last.zeroFraction(), 0.0);
        assertTrue(last.zeroFraction() > 0, "L1 1.0 zeroes some weights exactly: " + last.zeroFraction());
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertEquals(2.0, Trainer.median(List.of(3.0, 1.0, 2.0)), 0.0);
        assertEquals(2.5, Trainer.median(List.of(4.0, 1.0, 2.0, 3.0)), 0.0);
        assertTrue(Double.isNaN(Trainer.median(List.of())));
    }
}
