package io.ndopt.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.optim.Rule;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * The element-wise rules of torch.optim and Lion inside DL4J ({@link NdoptUpdater#of}) follow ndopt's own nn module
 * step for step (40 mini-batch steps, float64), coupled decay as DL4J's L2Regularization, decoupled as its WeightDecay.
 */
class Dl4jFamilyTest {
    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("rmsprop centered momentum + L2", Optimizer.rmsprop(0.01).centered(true).momentum(0.9)
                        .weightDecay(0.01), Rule.RmsProp.defaults().withCentered(true).withMomentum(0.9), 0.01,
                        List.of(new L2Regularization(0.01))),
                Arguments.of("adagrad", Optimizer.adagrad(0.1).lrDecay(0.01).initialAccumulatorValue(0.1),
                        new Rule.Adagrad(0.01, 0.1, 1e-10), 0.1, List.of()),
                Arguments.of("adadelta", Optimizer.adadelta(1.0), Rule.Adadelta.defaults(), 1.0, List.of()),
                Arguments.of("adamax", Optimizer.adamax(0.02), Rule.Adamax.defaults(), 0.02, List.of()),
                Arguments.of("nadam decoupled", Optimizer.nadam(0.02).decoupledWeightDecay(true).weightDecay(0.1),
                        Rule.NAdam.defaults(), 0.02, List.of(new WeightDecay(0.1, true))),
                Arguments.of("radam", Optimizer.radam(0.02), Rule.RAdam.defaults(), 0.02, List.of()),
                Arguments.of("rprop", Optimizer.rprop(0.01), Rule.Rprop.defaults(), 0.01, List.of()),
                Arguments.of("lion + decay", Optimizer.lion(3e-3).weightDecay(0.1), Rule.Lion.defaults(), 3e-3,
                        List.of(new WeightDecay(0.1, true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void followsNdoptsOwnTrajectory(String name, OptimizerBuilder ndopt, Rule rule, double lr, List<Regularization> reg) {
        NdoptUpdater u = NdoptUpdater.of(rule, lr);
        assertEquals(rule, u.toRule());
        double diff = Dl4jInteropTest.followDistance(ndopt, u, reg);
        assertTrue(diff < 1e-9, name + ": DL4J + ndopt vs ndopt nn: max |Δparam| = " + diff);
    }

    @Test void configurationJsonRoundTripKeepsTheRule() {
        NdoptUpdater u = NdoptUpdater.of(new Rule.NAdam(0.8, 0.99, 1e-7, 0.01), 0.05);
        MultiLayerConfiguration conf = Dl4jInteropTest.dl4j(u, List.of(), DataType.DOUBLE).getLayerWiseConfigurations();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        NdoptUpdater read = (NdoptUpdater) ((BaseLayer) back.getConf(0).getLayer()).getIUpdater();
        assertEquals(u, read);
        assertEquals(new Rule.NAdam(0.8, 0.99, 1e-7, 0.01), read.toRule());
    }
}
