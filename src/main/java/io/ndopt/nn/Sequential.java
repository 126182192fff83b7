package io.ndopt.nn;

import io.ndopt.internal.passes.Buf;

import io.ndopt.backend.Blas;
import io.ndopt.optim.UpdatePath;
import io.ndopt.param.Param;
import io.ndopt.param.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Layers applied in order; backward runs them in reverse.
 *
 * <p>Two implementations of one computation ({@link #impl}): the reference runs each layer's
 * {@link Layer#forward}/{@link Layer#backward} with ND4J ops; the fast path (default where it
 * applies: {@link Dense} and {@link Dropout} layers, float or double c-order parameters, CPU
 * backend) runs the same math in a preallocated {@link Workspace} — products straight into its
 * buffers and the gradients, fused element-wise passes, no allocation per step, and no input
 * gradient unless asked for ({@link #inputGradient(boolean)}). Tests prove the two equal.
 *
 * <p>Mode: {@link #train()} (the default) or {@link #eval()}; only {@link Dropout} differs.
 */
public final class Sequential {
    /** The most rows one fused step (CPU or GPU) takes; larger batches take the reference path. */
    public static final int MAX_FUSED_ROWS = 16384;

    private final List<Layer> layers;
    private final List<Param> params;
    private UpdatePath impl = UpdatePath.AUTO;
    private boolean training = true;
    private boolean wantInputGrad;
    private Workspace ws;
    private boolean lastFast;
    private INDArray inputGrad;
    private INDArray[] checkedArrays;
    private String problem;

    public Sequential(List<? extends Layer> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("a Sequential model needs at least one layer");
        this.layers = List.copyOf(layers);
        List<Param> ps = new ArrayList<>();
        this.layers.forEach(l -> ps.addAll(l.params()));
        this.params = List.copyOf(ps);
    }

    /**
     * A multi-layer perceptron: {@code inputs → hidden[0] → … → outputs}, {@code hidden} layers with
     * {@code activation}, the last layer with {@code output} (identity for regression and for the
     * cross-entropy losses, which take logits). Layer i is seeded with {@code seed + i}.
     */
    public static Sequential mlp(long inputs, int[] hidden, long outputs, Activation activation, Activation output,
                                 DataType dtype, long seed) {
        return mlp(inputs, hidden, outputs, activation, output, new double[hidden.length], dtype, seed);
    }

    /**
     * As {@link #mlp(long, int[], long, Activation, Activation, DataType, long)}, with inverted dropout of
     * probability {@code dropout[i]} after hidden layer i (0 = none); dropout i draws from seed
     * {@code seed + 7919·(i + 1)}, so the weights are those of the model without dropout.
     */
    public static Sequential mlp(long inputs, int[] hidden, long outputs, Activation activation, Activation output,
                                 double[] dropout, DataType dtype, long seed) {
        if (dropout.length != hidden.length) {
            throw new IllegalArgumentException("dropout: " + dropout.length + " rates given for " + hidden.length
                    + " hidden layers");
        }
        List<Layer> layers = new ArrayList<>();
        long in = inputs;
        for (int i = 0; i < hidden.length; i++) {
            layers.add(new Dense("fc" + (i + 1), in, hidden[i], activation, Init.defaultFor(activation),
                    dtype, seed + i));
            if (dropout[i] != 0) layers.add(new Dropout("drop" + (i + 1), dropout[i], seed + 7919L * (i + 1)));
            in = hidden[i];
        }
        layers.add(new Dense("out", in, outputs, output, Init.XAVIER_UNIFORM, dtype, seed + hidden.length));
        return new Sequential(layers);
    }

    /** Training mode (dropout active); the default. */
    public Sequential train() { return mode(true); }

    /** Evaluation mode (dropout is the identity). */
    public Sequential eval() { return mode(false); }

    public boolean training() { return training; }

    private Sequential mode(boolean on) {
        training = on;
        for (Layer l : layers) if (l instanceof Dropout d) d.training(on);
        return this;
    }

    /** Positions every dropout's RNG at draw {@code k} (the Trainer passes the global step, making masks resumable). */
    public void position(long k) {
        for (Layer l : layers) if (l instanceof Dropout d) d.draws(k);
    }

    /**
     * Chooses the implementation: AUTO (fast path where it applies), REFERENCE, or FUSED (fails if it does not apply).
     */
    public Sequential impl(UpdatePath impl) {
        this.impl = Objects.requireNonNull(impl);
        if (impl == UpdatePath.FUSED && fastPathProblem() != null) {
            throw new IllegalStateException("fused network path unavailable: " + fastPathProblem());
        }
        return this;
    }

    /**
     * Whether {@link #lossAndGradients} also computes dL/d(input) (e.g. for saliency maps; off by
     * default, it is a whole extra product). Read it with {@link #inputGradient()}.
     */
    public Sequential inputGradient(boolean on) {
        this.wantInputGrad = on;
        return this;
    }

    /** dL/d(input) of the last {@link #lossAndGradients}, if {@link #inputGradient(boolean)} is on; else null. */
    public INDArray inputGradient() { return inputGrad; }

    public INDArray forward(INDArray x) {
        int rows = checkInput(x);
        lastFast = fast(rows, x);
        if (!lastFast) {
            INDArray h = x;
            for (Layer l : layers) h = l.forward(h);
            return h;
        }
        ws.load(x, null);
        return Workspace.copyOut(ws.forward(rows), rows, ws.outWidth());
    }

    /**
     * Backpropagates dL/d(output) of the last forward; every parameter's gradient is overwritten; returns dL/d(input).
     */
    public INDArray backward(INDArray dOut) {
        if (!lastFast) {
            INDArray d = dOut;
            for (int i = layers.size() - 1; i >= 0; i--) d = layers.get(i).backward(d);
            return d;
        }
        long[] want = {ws.lastRows(), ws.outWidth()};
        if (!Arrays.equals(dOut.shape(), want) || dOut.dataType() != ws.dtype() || !Blas.supports(dOut)) {
            throw new IllegalArgumentException("backward: dL/d(output) must be a c-order " + ws.dtype()
                    + " array of shape " + Arrays.toString(want) + " (the last forward's output), got "
                    + dOut.shapeInfoToString());
        }
        ws.setOutputGradient(dOut);
        return Workspace.copyOut(ws.backward(true), ws.lastRows(), ws.inWidth());
    }

    /** One forward + backward; returns the data loss. Gradients are left in the parameters. */
    public double lossAndGradients(INDArray x, INDArray y, Loss loss) {
        int rows = checkInput(x);
        if (!fast(rows, x) || !compatible(y)) return referenceStep(x, y, loss);
        checkTarget(y, rows);
        ws.use(x, y);             // read in place: forward and backward both run within this call
        return fastStep(rows, loss);
    }

    /**
     * As {@link #lossAndGradients(INDArray, INDArray, Loss)} on rows {@code perm[from..to)} of
     * {@code x} and {@code y}, gathered straight into the workspace (no batch arrays are allocated).
     */
    public double lossAndGradients(INDArray x, INDArray y, int[] perm, int from, int to, Loss loss) {
        int rows = to - from;
        checkInput(x);
        if (!fast(rows, x) || !compatible(y)) {
            int[] idx = Arrays.copyOfRange(perm, from, to);
            return referenceStep(Nd4j.pullRows(x, 1, idx), Nd4j.pullRows(y, 1, idx), loss);
        }
        checkTarget(y, y.rows());
        ws.gather(x, y, perm, from, to);
        return fastStep(rows, loss);
    }

    private double fastStep(int rows, Loss loss) {
        lastFast = true;
        ws.forward(rows);
        double v = ws.loss(loss, rows);
        Buf dx = ws.backward(wantInputGrad);
        inputGrad = dx == null ? null : Workspace.copyOut(dx, rows, ws.inWidth());
        return v;
    }

    private double referenceStep(INDArray x, INDArray y, Loss loss) {
        lastFast = false;
        Loss.ValueAndGradient vg = loss.valueAndGradient(forward(x), y);
        INDArray dx = backward(vg.gradient());
        inputGrad = wantInputGrad ? dx : null;
        return vg.value();
    }

    /** Whether this call takes the fast path; creates the workspace on first use. */
    private boolean fast(int rows, INDArray x) {
        if (impl == UpdatePath.REFERENCE || rows > MAX_FUSED_ROWS || rows == 0) return false;
        if (params.isEmpty() || fastPathProblem() != null) return false;
        if (ws == null) ws = new Workspace(layers, params.get(0).dtype(), Math.toIntExact(firstDense().inputs()));
        return compatible(x);
    }

    private boolean compatible(INDArray a) { return a.dataType() == params.get(0).dtype() && Blas.supports(a); }

    /**
     * Why the fused network path cannot run this model, or null if it can; re-examined only when a
     * parameter's arrays change.
     */
    public String fastPathProblem() {
        boolean same = checkedArrays != null;
        for (int i = 0; same && i < params.size(); i++) {
            same = checkedArrays[2 * i] == params.get(i).value() && checkedArrays[2 * i + 1] == params.get(i).grad();
        }
        if (same) return problem;
        problem = examine();
        checkedArrays = new INDArray[2 * params.size()];
        for (int i = 0; i < params.size(); i++) {
            checkedArrays[2 * i] = params.get(i).value();
            checkedArrays[2 * i + 1] = params.get(i).grad();
        }
        return problem;
    }

    private String examine() {
        if (firstDense() == null) return "no Dense layer";
        DataType dt = params.get(0).dtype();
        for (Layer l : layers) {
            if (!(l instanceof Dense) && !(l instanceof Dropout)) {
                return "layer '" + l.name() + "' is not Dense or Dropout";
            }
        }
        for (Param p : params) {
            if (p.dtype() != dt) return "parameter '" + p.name() + "' is " + p.dtype() + ", not " + dt;
            if (!Blas.supports(p.value()) || !Blas.supports(p.grad())) {
                return "parameter '" + p.name() + "' is not a c-order float/double array on the CPU backend";
            }
        }
        return null;
    }

    private Dense firstDense() {
        for (Layer l : layers) if (l instanceof Dense d) return d;
        return null;
    }

    private int checkInput(INDArray x) {
        Dense first = firstDense();
        if (x.rank() != 2 || (first != null && x.columns() != first.inputs())) {
            throw new IllegalArgumentException("model: expected input [batch, "
                    + (first == null ? "?" : first.inputs()) + "], got "
                    + Arrays.toString(x.shape()));
        }
        return Math.toIntExact(x.rows());
    }

    private void checkTarget(INDArray y, long rows) {
        long[] want = {rows, ws.outWidth()};
        if (!Arrays.equals(y.shape(), want)) {
            throw new IllegalArgumentException("loss: output shape " + Arrays.toString(want)
                    + " does not match target shape "
                    + Arrays.toString(y.shape()));
        }
    }

    public List<Param> params() { return params; }

    public List<Layer> layers() { return layers; }

    /** The fast path's workspace (null until the first fast step); for the phase benchmark. */
    Workspace workspace() { return ws; }

    public long parameterCount() { return params().stream().mapToLong(Param::length).sum(); }

    /** L2 norm of all weight (not bias) parameters together. */
    public double weightNorm() {
        double s = 0;
        for (Param p : params) {
            if (p.role() == Role.WEIGHT) {
                double n = p.value().norm2Number().doubleValue();
                s += n * n;
            }
        }
        return Math.sqrt(s);
    }
}
