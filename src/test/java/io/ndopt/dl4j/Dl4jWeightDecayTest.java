package io.ndopt.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.ndopt.data.Dataset;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/** Our DecoupledWeightDecay against DL4J's WeightDecay(coeff, applyLR = true): same trajectory? */
class Dl4jWeightDecayTest {
    static Stream<Arguments> cases() {
        return Stream.of(DataType.FLOAT, DataType.DOUBLE).flatMap(dt -> Stream.of(
                Arguments.of(dt, 0.01, 0.1, false), Arguments.of(dt, 0.003, 0.5, false),
                Arguments.of(dt, 0.05, 0.02, true), Arguments.of(dt, 0.2, 1.5, true)));
    }

    @ParameterizedTest(name = "{0} lr={1} wd={2} schedule={3}")
    @MethodSource("cases")
    void applyIsBitwiseEqual(DataType dt, double lr, double wd, boolean unused) {
        Nd4j.getRandom().setSeed(3);
        INDArray w = Nd4j.randn(dt, 7, 9), u = Nd4j.randn(dt, 7, 9);
        INDArray ours = u.dup(), theirs = u.dup();
        new DecoupledWeightDecay(wd).apply(w, ours, lr, 4, 0);
        new WeightDecay(wd, true).apply(w, theirs, lr, 4, 0);
        assertArrayEquals(theirs.data().asDouble(), ours.data().asDouble());
    }

    @ParameterizedTest(name = "{0} lr={1} wd={2} schedule={3}")
    @MethodSource("cases")
    void networksFollowTheSameTrajectory(DataType dt, double lr, double wd, boolean schedule) {
        NdoptUpdater updater = NdoptUpdater.adam(lr);
        if (schedule) updater = updater.withSchedule(new StepSchedule(ScheduleType.ITERATION, lr, 0.5, 7));
        MultiLayerNetwork ours = net(updater, new DecoupledWeightDecay(wd), dt);
        MultiLayerNetwork theirs = net(updater, new WeightDecay(wd, true), dt);
        Dataset d = Dl4jInteropTest.data(dt);
        for (int s = 0; s < Dl4jInteropTest.STEPS; s++) {
            Dataset b = Dl4jInteropTest.batch(d, s);
            ours.fit(new DataSet(b.x(), b.y()));
            theirs.fit(new DataSet(b.x(), b.y()));
            assertArrayEquals(theirs.params().data().asDouble(), ours.params().data().asDouble(), "step " + (s + 1));
        }
    }

    private static MultiLayerNetwork net(NdoptUpdater updater, Regularization decay, DataType dt) {
        MultiLayerNetwork net = Dl4jInteropTest.dl4j(updater, List.of(decay), dt);
        Dl4jInteropTest.copyInit(Dl4jInteropTest.ndoptModel(dt), net);
        return net;
    }
}
