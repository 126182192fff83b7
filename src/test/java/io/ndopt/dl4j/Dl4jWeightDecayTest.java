package io.ndopt.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.optim.Optimizer;
import io.ndopt.schedule.Schedule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * AdamW inside DL4J needs no adapter of ours: DL4J's {@code WeightDecay(coeff, applyLR = true)} after
 * {@link NdoptUpdater} is PyTorch's decoupled decay. (ndopt's former {@code DecoupledWeightDecay}
 * gave bitwise the same parameters as it in float32 and float64, over 40 steps, with and without an
 * lr schedule; it was dropped.)
 */
class Dl4jWeightDecayTest {

    @Test
    void updateGrowsByLrTimesCoeffTimesW() {
        INDArray w = Nd4j.createFromArray(1.0, -2.0, 0.0), u = Nd4j.createFromArray(0.5, 0.0, 0.25);
        new WeightDecay(0.2, true).apply(w, u, 0.1, 3, 0);        // u += lr·wd·w, so w − u = w(1 − lr·wd) − u₀
        assertArrayEquals(new double[] {0.52, -0.04, 0.25}, u.toDoubleVector(), 1e-15);
    }

    /** DL4J (NdoptUpdater + WeightDecay) vs ndopt's AdamW, same init and batches, float64, 40 steps. */
    @ParameterizedTest(name = "lr={0} wd={1} step schedule={2}")
    @CsvSource({"0.01, 0.1, false", "0.003, 0.5, false", "0.05, 0.02, true", "0.2, 1.5, true"})
    void followsNdoptsAdamw(double lr, double wd, boolean schedule) {
        NdoptUpdater updater = NdoptUpdater.adam(lr);
        var adamw = Optimizer.adamw(lr).weightDecay(wd);
        if (schedule) {                                             // both halve the rate every 7 steps
            updater = updater.withSchedule(new StepSchedule(ScheduleType.ITERATION, lr, 0.5, 7));
            adamw.schedule(Schedule.step(lr, 7, 0.5));
        }
        double diff = Dl4jInteropTest.followDistance(adamw, updater, List.of(new WeightDecay(wd, true)));
        assertTrue(diff < 1e-9, "DL4J WeightDecay vs ndopt AdamW: max |Δparam| = " + diff);
        double undecayed = Dl4jInteropTest.followDistance(Optimizer.adamw(lr).weightDecay(wd).schedule(
                schedule ? Schedule.step(lr, 7, 0.5) : Schedule.constant(lr)), updater, List.of());
        assertTrue(undecayed > 1e-6, "the decay is visible: without it DL4J is " + undecayed + " away");
    }
}
