package io.ndopt.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A DL4J MultiLayerNetwork trained with ndopt's updater and regularizations (AdamW's decay is DL4J's
 * own WeightDecay, see {@link Dl4jWeightDecayTest}) follows ndopt's own nn module step for step;
 * proximal L1 reaches exact zeros where DL4J's L1Regularization reaches none; configurations round-trip through DL4J's
 * JSON and ModelSerializer keeps the updater state.
 */
class Dl4jInteropTest {
    @TempDir Path dir;
    static final int BATCH = 25, STEPS = 40;

    static MultiLayerNetwork dl4j(IUpdater updater, List<Regularization> reg, DataType dt) {
        // regularization per layer: DL4J 1.0.0-M2.1's global NeuralNetConfiguration.Builder.regularization(List)
        // installs every entry twice on each layer (its own WeightDecay too), which would decay twice
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(dt)
                .updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(12).activation(org.nd4j.linalg.activations.Activation.TANH)
                        .regularization(reg).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(12).nOut(1)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).regularization(reg).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static Sequential ndoptModel(DataType dt) {
        return Sequential.mlp(2, new int[] {12}, 1, Activation.TANH, Activation.IDENTITY, dt, 5);
    }

    static void copyInit(Sequential from, MultiLayerNetwork to) {
        for (int i = 0; i < 2; i++) {
            Dense d = (Dense) from.layers().get(i);
            to.getLayer(i).setParam("W", d.weight().value().dup());
            to.getLayer(i).setParam("b", d.bias().value().dup());
        }
    }

    static Dataset data(DataType dt) { return Synthetic.moons(200, 0.2, 0.0, 7, dt); }

    /** Batch s of the fixed order both sides see. */
    static Dataset batch(Dataset d, int s) {
        int from = (s * BATCH) % d.size();
        return d.rows(IntStream.range(from, from + BATCH).toArray());
    }

    private static void trainBoth(Sequential model, Optimizer opt, MultiLayerNetwork net, Dataset d) {
        for (int s = 0; s < STEPS; s++) {
            Dataset b = batch(d, s);
            model.lossAndGradients(b.x(), b.y(), Loss.MSE);
            opt.step();
            net.fit(new DataSet(b.x(), b.y()));
        }
    }

    static double maxDiff(Sequential model, MultiLayerNetwork net) {
        double m = 0;
        for (int i = 0; i < 2; i++) {
            Dense d = (Dense) model.layers().get(i);
            m = Math.max(m, d.weight().value().sub(net.getLayer(i).getParam("W")).amaxNumber().doubleValue());
            m = Math.max(m, d.bias().value().sub(net.getLayer(i).getParam("b")).amaxNumber().doubleValue());
        }
        return m;
    }

    /**
     * Trains ndopt's nn module and a DL4J network from the same float64 init on the same batches; returns max |Δparam|.
     */
    static double followDistance(OptimizerBuilder ndopt, IUpdater updater, List<Regularization> reg) {
        DataType dt = DataType.DOUBLE;
        Sequential model = ndoptModel(dt);
        Optimizer opt = ndopt.build(model.params());
        MultiLayerNetwork net = dl4j(updater, reg, dt);
        copyInit(model, net);
        assertEquals(0.0, maxDiff(model, net), 0.0);
        trainBoth(model, opt, net, data(dt));
        assertTrue(model.params().get(0).value().sub(ndoptModel(dt).params().get(0).value()).amaxNumber()
                .doubleValue() > 1e-3, "it trained");
        return maxDiff(model, net);
    }

    @Test
    void adamwInsideDl4jFollowsNdoptsOwnTrajectory() {
        double diff = followDistance(Optimizer.adamw(0.01).weightDecay(0.1), NdoptUpdater.adam(0.01),
                List.of(new WeightDecay(0.1, true)));
        assertTrue(diff < 1e-9, "DL4J + ndopt AdamW vs ndopt nn: max |Δparam| = " + diff);
    }

    @Test
    void adamInsideDl4jFollowsNdopt() {
        double diff = followDistance(Optimizer.adam(0.01).amsgrad(true),
                NdoptUpdater.adam(0.01, 0.9, 0.999, 1e-8, true), List.of());
        assertTrue(diff < 1e-9, "max |Δparam| = " + diff);
    }

    @Test
    void sgdNesterovInsideDl4jFollowsNdopt() {
        double diff = followDistance(Optimizer.sgd(0.05).momentum(0.9).nesterov(true),
                NdoptUpdater.sgd(0.05, 0.9, 0, true), List.of());
        assertTrue(diff < 1e-9, "max |Δparam| = " + diff);
    }

    @Test
    void proximalL1GivesExactZerosWhereDl4jL1GivesNone() {
        DataType dt = DataType.FLOAT;
        Sequential model = ndoptModel(dt);
        Optimizer opt = Optimizer.adam(0.01).l1(1.0).build(model.params());
        MultiLayerNetwork prox = dl4j(NdoptUpdater.adam(0.01), List.of(new ProximalL1(1.0)), dt);
        MultiLayerNetwork sub = dl4j(NdoptUpdater.adam(0.01), List.of(new L1Regularization(1.0)), dt);
        copyInit(model, prox);
        copyInit(model, sub);
        Dataset d = data(dt);
        trainBoth(model, opt, prox, d);
        for (int s = 0; s < STEPS; s++) sub.fit(new DataSet(batch(d, s).x(), batch(d, s).y()));
        long zerosProx = 0, zerosSub = 0, biasZeros = 0;
        for (int i = 0; i < 2; i++) {
            zerosProx += prox.getLayer(i).getParam("W").scan(Conditions.equals(0.0)).longValue();
            zerosSub += sub.getLayer(i).getParam("W").scan(Conditions.equals(0.0)).longValue();
            biasZeros += prox.getLayer(i).getParam("b").scan(Conditions.equals(0.0)).longValue();
        }
        assertTrue(zerosProx > 5, "proximal L1 inside DL4J: " + zerosProx + " exact zeros");
        assertEquals(0, zerosSub, "DL4J's L1Regularization (sign subgradient) leaves no exact zeros");
        assertTrue(biasZeros < 13, "biases are not thresholded");
        assertTrue(maxDiff(model, prox) < 1e-4, "float32 DL4J prox vs ndopt: " + maxDiff(model, prox));
    }

    @Test
    void configJsonAndModelSerializerRoundTrip() throws Exception {
        DataType dt = DataType.DOUBLE;
        MultiLayerNetwork net = dl4j(NdoptUpdater.adam(0.01, 0.8, 0.99, 1e-7, true),
                List.of(new WeightDecay(0.05, true), new ProximalL1(0.01)), dt);
        String json = net.getLayerWiseConfigurations().toJson();
        assertTrue(json.contains("io.ndopt.dl4j.NdoptUpdater") && json.contains("io.ndopt.dl4j.ProximalL1"),
                "custom classes in DL4J JSON");
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(net.getLayerWiseConfigurations(), back);
        Dataset d = data(dt);
        DataSet batch = new DataSet(d.x(), d.y());
        for (int i = 0; i < 5; i++) net.fit(batch);
        File f = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        for (int i = 0; i < 5; i++) {
            net.fit(batch);
            restored.fit(batch);
        }
        INDArray a = net.params(), b = restored.params();
        assertEquals(0.0, a.sub(b).amaxNumber().doubleValue(), 0.0, "continuing a restored network is identical");
    }
}
