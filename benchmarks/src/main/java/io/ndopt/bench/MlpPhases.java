package io.ndopt.bench;

import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;

import io.ndopt.backend.Threads;
import io.ndopt.optim.Optimizer;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Phase breakdown of ndopt's MLP training step (the MlpTrainBench model): median ms of forward,
 * loss (value + gradient), backward and the optimizer step over many steps, plus the whole step, and the same step
 * through the public calls ({@code lossAndGradients} + {@code step}, as MlpTrainBench times it) on alternate steps,
 * with the count of subnormal optimizer-state entries at the end (what separates a young run from a long one).
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
        Method use = method(ws, "use", INDArray.class, INDArray.class), forward = method(ws, "forward", int.class);
        Method loss = method(ws, "loss", Loss.class, int.class), backward = method(ws, "backward", boolean.class);
        double[][] t = new double[6][steps];
        // even steps: phase by phase (the calls lossAndGradients makes, timed one by one); odd steps: the public
        // calls a training loop makes (lossAndGradients + step), as MlpTrainBench times them
        for (int s = -steps / 2; s < 2 * steps; s++) {                  // first quarter: warm-up, not recorded
            if ((s & 1) != 0) {
                long t0 = System.nanoTime();
                model.lossAndGradients(x, y, Loss.SOFTMAX_CROSS_ENTROPY);
                opt.step();
                if (s >= 0) t[5][s / 2] = (System.nanoTime() - t0) / 1e6;
                continue;
            }
            long t0 = System.nanoTime();
            use.invoke(ws, x, y);
            forward.invoke(ws, batch);
            long t1 = System.nanoTime();
            loss.invoke(ws, Loss.SOFTMAX_CROSS_ENTROPY, batch);
            long t2 = System.nanoTime();
            backward.invoke(ws, false);
            long t3 = System.nanoTime();
            opt.step();
            long t4 = System.nanoTime();
            if (s >= 0) {
                t[0][s / 2] = (t1 - t0) / 1e6;
                t[1][s / 2] = (t2 - t1) / 1e6;
                t[2][s / 2] = (t3 - t2) / 1e6;
                t[3][s / 2] = (t4 - t3) / 1e6;
                t[4][s / 2] = (t4 - t0) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "{\"forward_ms\": %.4f, \"loss_ms\": %.4f, \"backward_ms\": %.4f, \"optimizer_ms\": %.4f, "
                + "\"step_ms\": %.4f, \"api_step_ms\": %.4f, \"api_step_mean_ms\": %.4f, \"optimizer_steps\": %d, "
                + "\"subnormal_state\": %d, \"threads\": \"%s\"}%n",
                median(t[0]), median(t[1]), median(t[2]), median(t[3]), median(t[4]), median(t[5]),
                Arrays.stream(t[5]).average().orElse(Double.NaN), opt.stepCount(), subnormals(opt), Threads.describe());
    }

    /**
     * Float32 optimizer-state entries that are subnormal: Adam's first moment of a weight whose gradient stays 0
     * decays to 2^-149 and sticks there (0.9 · 2^-149 rounds back up), and on CPUs that take a microcode assist per
     * subnormal operand the update slows many-fold once they appear (after ~650 steps of this model).
     */
    static long subnormals(Optimizer opt) {
        long n = 0;
        for (INDArray s : opt.stateDict().values()) {
            if (s.dataType() != DataType.FLOAT) continue;
            for (float v : s.data().asFloat()) if (v != 0 && Math.abs(v) < Float.MIN_NORMAL) n++;
        }
        return n;
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
