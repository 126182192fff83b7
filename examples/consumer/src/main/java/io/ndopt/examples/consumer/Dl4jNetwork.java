package io.ndopt.examples.consumer;

import static io.ndopt.examples.consumer.Check.require;

import io.ndopt.dl4j.NdoptUpdater;
import io.ndopt.dl4j.ProximalL1;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The README's Deeplearning4j snippet: ndopt's Adam ({@link NdoptUpdater}) with DL4J's decoupled
 * {@code WeightDecay} (= AdamW) and {@link ProximalL1} inside a {@code MultiLayerNetwork}, on 3 classes
 * that depend on the first 4 of 20 inputs. Checks: it learns, proximal L1 leaves exact zeros, and
 * {@code ModelSerializer} restores the updater state (one more step on the copy and on the original agree).
 */
final class Dl4jNetwork {
    private Dl4jNetwork() {}

    static final int N = 600, IN = 20, HIDDEN = 32, CLASSES = 3;

    static DataSet data() {
        Random rnd = new Random(3);
        double[][] x = new double[N][IN], labels = new double[N][CLASSES];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < IN; j++) x[i][j] = rnd.nextGaussian();
            double a = x[i][0] + x[i][1], b = x[i][2] - x[i][3];
            labels[i][a > 0.5 ? 0 : b > 0 ? 1 : 2] = 1;
        }
        return new DataSet(Nd4j.create(x).castTo(DataType.FLOAT),
                Nd4j.create(labels).castTo(DataType.FLOAT));
    }

    static String run() throws Exception {
        // decay first, prox last (README: 1e-4; 5e-2 here so that 30 short epochs already leave exact zeros)
        List<Regularization> adamwL1 = List.of(new WeightDecay(1e-2, true), new ProximalL1(5e-2));
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).updater(NdoptUpdater.adam(1e-2))    // or NdoptUpdater.sgd(lr, momentum, dampening, nesterov)
                .list()
                .layer(new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).activation(Activation.RELU)
                        .regularization(adamwL1).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).regularization(adamwL1).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet all = data();
        double before = net.evaluate(new ViewIterator(all, 100)).accuracy();
        net.fit(new ViewIterator(all, 50), 30);                   // biases: untouched (regularizationBias is empty)
        double after = net.evaluate(new ViewIterator(all, 100)).accuracy();

        INDArray w0 = net.getLayer(0).getParam("W");
        long zeros = w0.length() - w0.neq(0.0).castTo(DataType.INT).sumNumber().longValue();
        require(after > 0.85 && after > before + 0.2, "the network did not learn: accuracy " + before + " -> " + after);
        require(zeros > 0, "proximal L1 left no exact zeros in the first layer's weights");

        File file = Files.createTempFile("ndopt-consumer", ".zip").toFile();
        file.deleteOnExit();
        ModelSerializer.writeModel(net, file, true);               // updater state included
        MultiLayerNetwork copy = ModelSerializer.restoreMultiLayerNetwork(file, true);
        BaseLayer restored = (BaseLayer) copy.getLayerWiseConfigurations().getConf(0).getLayer();
        require(restored.getIUpdater() instanceof NdoptUpdater, "the restored configuration lost ndopt's updater");
        require(copy.params().equals(net.params()), "restored parameters differ");
        var batch = all.getRange(0, 50);
        net.fit(batch);
        copy.fit(batch);
        require(copy.params().equals(net.params()), "one more step after restoring differs from the original's");
        return String.format("dl4j: training accuracy %.3f -> %.3f, %d of %d first-layer weights exactly 0.0,"
                + " ModelSerializer round trip with updater state ok", before, after, zeros, w0.length());
    }
}
