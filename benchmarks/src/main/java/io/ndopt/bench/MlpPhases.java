package io.ndopt.bench;

import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;

import io.ndopt.backend.Threads;
import io.ndopt.optim.Optimizer;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Phase breakdown of ndopt's MLP training step (the MlpTrainBench model): median ms of forward,
 * loss (value + gradient), backward and the optimizer step over many steps, plus the whole step.
 * Reaches the package-private {@code io.ndopt.nn.Workspace} by reflection (the phases have no public entry
 * point; the bench runs on the class path). Prints one JSON line.
 * Usage: {@code java -cp benchmarks.jar io.ndopt.bench.MlpPhases [steps] [threads B or B,N]}.
 */
public final class MlpPhases {
    public static void main(String[] args) throws ReflectiveOperationException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        if (args.length > 1) Threads.apply(Threads.Split.parse(args[1]));
        int batch = 128;
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 784), y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) y.putScalar(i, i % 10, 1.0);
        Sequential model = Sequential.mlp(784, new int[] {256, 256}, 10, Activation.RELU, Activation.IDENTITY, DataType.FLOAT, 1);
        Optimizer opt = Optimizer.adam(1e-3).build(model.params());
        model.lossAndGradients(x, y, Loss.SOFTMAX_CROSS_ENTROPY);     // creates the workspace
        Object ws = call(model, "workspace");
        Method load = method(ws, "load", INDArray.class, INDArray.class), forward = method(ws, "forward", int.class);
        Method loss = method(ws, "loss", Loss.class, int.class), backward = method(ws, "backward", boolean.class);
        double[][] t = new double[5][steps];
        for (int s = -steps / 4; s < steps; s++) {                      // first quarter: warm-up, not recorded
            long t0 = System.nanoTime();
            load.invoke(ws, x, y);
            forward.invoke(ws, batch);
            long t1 = System.nanoTime();
            loss.invoke(ws, Loss.SOFTMAX_CROSS_ENTROPY, batch);
            long t2 = System.nanoTime();
            backward.invoke(ws, false);
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

    private static Object call(Object o, String name) throws ReflectiveOperationException {
        return method(o, name).invoke(o);
    }

    private static Method method(Object o, String name, Class<?>... types) throws ReflectiveOperationException {
        Method m = o.getClass().getDeclaredMethod(name, types);
        m.setAccessible(true);
        return m;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
