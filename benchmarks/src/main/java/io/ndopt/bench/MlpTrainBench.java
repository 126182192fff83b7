package io.ndopt.bench;

import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.UpdatePath;
import io.ndopt.optim.Optimizer;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One training step (forward, backward, Adam update) of a 784-256-256-10 ReLU MLP with softmax
 * cross-entropy on a synthetic batch of 128, float32: ndopt's nn module (its workspace path, and
 * the layer-by-layer ND4J reference) vs DL4J's MultiLayerNetwork with the same architecture and
 * updater (Adam, lr 1e-3). ndopt applies its thread split (ND4J 1, OpenBLAS half the cores, or the {@code threads}
 * parameter) when the network first trains; DL4J runs with ND4J's defaults. PyTorch's side is {@code torch_mlp.py}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
public class MlpTrainBench {
    @Param({"ndopt", "ndopt-reference", "dl4j"}) public String impl;
    @Param({"128"}) public int batch;
    /** ndopt's thread split: "default" (Threads.recommended()) or BLAS[,ND4J] as --threads takes it. */
    @Param({"default"}) public String threads;

    private Sequential model;
    private Optimizer opt;
    private MultiLayerNetwork net;
    private INDArray x, y;
    private DataSet ds;

    @Setup(Level.Trial)
    public void setup() {
        Nd4j.getRandom().setSeed(1);
        x = Nd4j.rand(DataType.FLOAT, batch, 784);
        y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) y.putScalar(i, i % 10, 1.0);
        if (impl.startsWith("ndopt")) {
            if (!threads.equals("default")) io.ndopt.backend.Threads.apply(io.ndopt.backend.Threads.Split.parse(threads));
            model = Sequential.mlp(784, new int[] {256, 256}, 10, Activation.RELU, Activation.IDENTITY, DataType.FLOAT, 1)
                    .impl(impl.equals("ndopt") ? UpdatePath.FUSED : UpdatePath.REFERENCE);
            opt = Optimizer.adam(1e-3).build(model.params());
        } else {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                    .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                    .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(org.nd4j.linalg.activations.Activation.RELU).build())
                    .layer(new DenseLayer.Builder().nIn(256).nOut(256).activation(org.nd4j.linalg.activations.Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                            .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                    .build();
            net = new MultiLayerNetwork(conf);
            net.init();
            ds = new DataSet(x, y);
        }
    }

    @Benchmark
    public Object step() {
        if (net != null) {
            net.fit(ds);
            return net;
        }
        model.lossAndGradients(x, y, Loss.SOFTMAX_CROSS_ENTROPY);
        opt.step();
        return model;
    }
}
