package io.ndopt.bench;

import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.nn.Workspace;

import io.ndopt.backend.Threads;
import io.ndopt.optim.Optimizer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Phase breakdown of ndopt's MLP training step (the MlpTrainBench model): median ms of forward,
 * loss (value + gradient), backward and the optimizer step over many steps, plus the whole step.
 * Lives in io.ndopt.nn to reach the package-private {@link Workspace}. Prints one JSON line.
 * Usage: {@code java -cp benchmarks.jar io.ndopt.bench.MlpPhases [steps] [threads B or B,N]}.
 */
public final class MlpPhases {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        if (args.length > 1) Threads.apply(Threads.Split.parse(args[1]));
        int batch = 128;
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 784), y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) y.putScalar(i, i % 10, 1.0);
        Sequential model = Sequential.mlp(784, new int[] {256, 256}, 10, Activation.RELU, Activation.IDENTITY, DataType.FLOAT, 1);
        Optimizer opt = Optimizer.adam(1e-3).build(model.params());
        model.lossAndGradients(x, y, Loss.SOFTMAX_CROSS_ENTROPY);     // creates the workspace
        Workspace ws = model.workspace();
        double[][] t = new double[5][steps];
        for (int s = -steps / 4; s < steps; s++) {                      // first quarter: warm-up, not recorded
            long t0 = System.nanoTime();
            ws.load(x, y);
            ws.forward(batch);
            long t1 = System.nanoTime();
            ws.loss(Loss.SOFTMAX_CROSS_ENTROPY, batch);
            long t2 = System.nanoTime();
            ws.backward(false);
            long t3 = System.nanoTime();
            opt.step();
            long t4 = System.nanoTime();
            if (s >= 0) {
                t[0][s] = (t1 - t0) / 1e6;
                t[1][s] = (t2 - t1) / 1e6;
                t[2][s] = (t3 - t2) / 1e6;
                t[3][s] = (t4 - t3) / 1e6;
                t[4][s] = (t4 - t0) / 1e6;
            }
        }
        System.out.printf("{\"forward_ms\": %.4f, \"loss_ms\": %.4f, \"backward_ms\": %.4f, \"optimizer_ms\": %.4f, \"step_ms\": %.4f, \"threads\": \"%s\"}%n",
                median(t[0]), median(t[1]), median(t[2]), median(t[3]), median(t[4]), Threads.describe());
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
