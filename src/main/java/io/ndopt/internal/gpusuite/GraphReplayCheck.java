package io.ndopt.internal.gpusuite;

import io.ndopt.backend.Blas;
import io.ndopt.internal.device.DeviceOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A captured CUDA graph replayed against the same operations run eagerly: three steps of a one-layer
 * network (gather the batch's rows through a shuffled index, product, bias + tanh, MSE loss and gradient,
 * backward, a weight gradient accumulated over the steps with beta 1, a device copy) over 12 rows in
 * batches of 4. Three runs from the same state:
 * <ol>
 *   <li>eager, the batch start passed as a number ({@link DeviceOps#gatherRows});</li>
 *   <li>eager, the start read from a device cursor that {@link DeviceOps#advance} moves;</li>
 *   <li>one step captured ({@link DeviceOps#beginCapture}), then the graph launched three times.</li>
 * </ol>
 * Runs 2 and 3 must equal run 1 bitwise (the same kernels on the same data) and end with the cursor at 12;
 * capturing must not run anything (the cursor and the outputs are unchanged after {@link DeviceOps#endCapture}).
 * A graph that froze the batch start at capture time, or replayed stale arguments, accumulates another
 * weight gradient.
 */
final class GraphReplayCheck {
    private static final int N = 12, BATCH = 4, STEPS = N / BATCH, IN = 5, OUT = 3;

    private final DeviceOps ops;
    private final DataType dt;
    private final List<INDArray> keep = new ArrayList<>();      // host memory of queued uploads
    private final long x, y, idx, w, b, cursor, xb, yb, z, a, grad, value, biasGrad, wGrad, zCopy;

    private GraphReplayCheck(DeviceOps ops, DataType dt, long seed) {
        this.ops = ops;
        this.dt = dt;
        SplittableRandom r = new SplittableRandom(seed);
        int[] perm = new int[N];
        for (int i = 0; i < N; i++) perm[i] = i;
        for (int i = N - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        x = up(random(r, N, IN));
        y = up(random(r, N, OUT));
        idx = up(Nd4j.createFromArray(perm));
        w = up(random(r, IN, OUT));
        b = up(random(r, 1, OUT));
        cursor = ops.alloc(4, "graph check cursor");
        xb = scratch(BATCH * IN);
        yb = scratch(BATCH * OUT);
        z = scratch(BATCH * OUT);
        a = scratch(BATCH * OUT);
        grad = scratch(BATCH * OUT);
        value = ops.alloc(8, "graph check loss value");
        biasGrad = scratch(OUT);
        wGrad = scratch(IN * OUT);
        zCopy = scratch(BATCH * OUT);
    }

    /** The check on {@code dt} (FLOAT or DOUBLE), as one {@link DeviceOpsCheck.Result} named "ops/graph-replay/…". */
    static DeviceOpsCheck.Result run(DeviceOps ops, DataType dt) {
        GraphReplayCheck c = new GraphReplayCheck(ops, dt, 7);
        String name = "ops/graph-replay/" + (dt == DataType.FLOAT ? "float32" : "float64");
        try {
            c.reset();
            for (int s = 0; s < STEPS; s++) c.step(s, false);
            double[] plain = c.outputs();
            c.reset();
            for (int s = 0; s < STEPS; s++) c.step(s, true);
            double[] cursorEager = c.outputs();
            c.reset();
            double[] before = c.outputs();
            ops.beginCapture();
            c.step(0, true);
            long graph = ops.endCapture();
            double[] afterCapture = c.outputs();
            for (int s = 0; s < STEPS; s++) ops.launchGraph(graph);
            double[] replayed = c.outputs();
            ops.destroyGraph(graph);
            List<String> wrong = new ArrayList<>();
            if (!Arrays.equals(before, afterCapture)) wrong.add("capturing ran work (outputs or cursor changed)");
            if (!sameValues(plain, cursorEager)) wrong.add("eager gatherRowsAt + advance differs from gatherRows");
            if (!sameValues(plain, replayed)) wrong.add("the replayed graph differs from the eager steps");
            if (plain[plain.length - 1] != 0 || cursorEager[cursorEager.length - 1] != N
                    || replayed[replayed.length - 1] != N) {
                wrong.add("cursor after the steps: eager " + cursorEager[cursorEager.length - 1] + ", replayed "
                        + replayed[replayed.length - 1] + " (expected " + N + ")");
            }
            String what = STEPS + " steps of gather/gemm/bias+tanh/MSE/backward/gemm(beta 1)/copy, eager vs "
                    + "cursor-eager vs graph replay, bitwise";
            return new DeviceOpsCheck.Result(name, wrong.isEmpty(), 0, 0, 0, wrong.size(),
                    wrong.isEmpty() ? what : what + ": " + String.join("; ", wrong));
        } catch (RuntimeException e) {          // e.g. a driver that refuses to capture: a failed check, not a crash
            return new DeviceOpsCheck.Result(name, false, 0, 0, 0, 1, "capture or replay failed: " + e);
        } finally {
            c.free();
        }
    }

    /** Equal outputs and loss value, bitwise (the cursor, last, is compared on its own). */
    private static boolean sameValues(double[] p, double[] q) {
        return Arrays.equals(Arrays.copyOf(p, p.length - 1), Arrays.copyOf(q, q.length - 1));
    }

    /** One training step's operations on batch {@code s}: the start as a number, or from the device cursor. */
    private void step(int s, boolean useCursor) {
        if (useCursor) {
            ops.gatherRowsAt(dt, x, idx, cursor, BATCH, IN, xb);
            ops.gatherRowsAt(dt, y, idx, cursor, BATCH, OUT, yb);
            ops.advance(cursor, BATCH);
        } else {
            ops.gatherRows(dt, x, idx, s * BATCH, BATCH, IN, xb);
            ops.gatherRows(dt, y, idx, s * BATCH, BATCH, OUT, yb);
        }
        ops.gemm(dt, false, false, BATCH, OUT, IN, xb, w, 0, z);
        ops.biasActivation(dt, z, b, a, BATCH, OUT, DeviceOps.ACT_TANH);
        ops.copy(zCopy, z, (long) BATCH * OUT * dt.width());
        ops.lossAndGradient(dt, DeviceOps.LOSS_MSE, a, yb, grad, BATCH, OUT, value);
        ops.activationBackward(dt, z, a, grad, BATCH, OUT, DeviceOps.ACT_TANH, biasGrad);
        ops.gemm(dt, true, false, IN, OUT, BATCH, xb, grad, 1, wGrad);
    }

    /** Zeroes every output and the cursor. */
    private void reset() {
        for (long p : new long[] {xb, yb, z, a, grad, zCopy, biasGrad, wGrad}) {
            ops.upload(p, host(Nd4j.zeros(dt, size(p))), bytes(size(p)));
        }
        ops.upload(value, host(Nd4j.zeros(DataType.DOUBLE, 1)), 8);
        ops.upload(cursor, host(Nd4j.createFromArray(new int[] {0})), 4);
        ops.synchronize();
        keep.clear();
    }

    /** Every output, then the loss value, then the cursor, as doubles. */
    private double[] outputs() {
        List<Double> all = new ArrayList<>();
        for (long p : new long[] {xb, yb, z, a, grad, zCopy, biasGrad, wGrad}) {
            for (double v : down(p, dt, size(p))) all.add(v);
        }
        all.add(down(value, DataType.DOUBLE, 1)[0]);
        all.add(down(cursor, DataType.INT, 1)[0]);
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private INDArray random(SplittableRandom r, int rows, int n) {
        double[] v = new double[rows * n];
        for (int i = 0; i < v.length; i++) v[i] = 2 * r.nextDouble() - 1;
        return Nd4j.createFromArray(v).castTo(dt).reshape('c', rows, n);
    }

    private long host(INDArray h) {
        keep.add(h);
        return Blas.pointer(h).address();
    }

    /** Elements of output buffer {@code p}. */
    private int size(long p) {
        if (p == xb) return BATCH * IN;
        if (p == biasGrad) return OUT;
        if (p == wGrad) return IN * OUT;
        return BATCH * OUT;
    }

    private long bytes(int elements) { return (long) elements * dt.width(); }

    private long up(INDArray h) {
        long n = h.length() * h.dataType().width();
        long p = ops.alloc(n, "graph check input");
        ops.upload(p, host(h), n);
        return p;
    }

    private long scratch(int elements) { return ops.alloc(bytes(elements), "graph check buffer"); }

    private double[] down(long p, DataType type, int n) {
        INDArray h = Nd4j.create(type, n);
        ops.download(Blas.pointer(h).address(), p, (long) n * type.width());
        return h.data().asDouble();
    }

    private void free() {
        for (long p : new long[] {x, y, idx, w, b, cursor, xb, yb, z, a, grad, value, biasGrad, wGrad, zCopy}) {
            ops.free(p);
        }
    }
}
