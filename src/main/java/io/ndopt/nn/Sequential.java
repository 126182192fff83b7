package io.ndopt.nn;

import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Layers applied in order; backward runs them in reverse. */
public final class Sequential {
    private final List<Layer> layers;

    public Sequential(List<? extends Layer> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("a Sequential model needs at least one layer");
        this.layers = List.copyOf(layers);
    }

    /**
     * A multi-layer perceptron: {@code inputs → hidden[0] → … → outputs}, {@code hidden} layers with
     * {@code activation}, the last layer with {@code output} (identity for regression and for the
     * cross-entropy losses, which take logits). Layer i is seeded with {@code seed + i}.
     */
    public static Sequential mlp(long inputs, int[] hidden, long outputs, Activation activation, Activation output,
                                 DataType dtype, long seed) {
        List<Dense> layers = new ArrayList<>();
        long in = inputs;
        for (int i = 0; i < hidden.length; i++) {
            layers.add(new Dense("fc" + (i + 1), in, hidden[i], activation, Init.defaultFor(activation), dtype, seed + i));
            in = hidden[i];
        }
        layers.add(new Dense("out", in, outputs, output, Init.XAVIER_UNIFORM, dtype, seed + hidden.length));
        return new Sequential(layers);
    }

    public INDArray forward(INDArray x) {
        INDArray h = x;
        for (Layer l : layers) h = l.forward(h);
        return h;
    }

    /** Backpropagates dL/d(output) of the last forward; every parameter's gradient is overwritten. */
    public INDArray backward(INDArray dOut) {
        INDArray d = dOut;
        for (int i = layers.size() - 1; i >= 0; i--) d = layers.get(i).backward(d);
        return d;
    }

    /** One forward + backward; returns the data loss. Gradients are left in the parameters. */
    public double lossAndGradients(INDArray x, INDArray y, Loss loss) {
        Loss.ValueAndGradient vg = loss.valueAndGradient(forward(x), y);
        backward(vg.gradient());
        return vg.value();
    }

    public List<Param> params() {
        List<Param> ps = new ArrayList<>();
        layers.forEach(l -> ps.addAll(l.params()));
        return ps;
    }

    public List<Layer> layers() { return layers; }

    public long parameterCount() { return params().stream().mapToLong(Param::length).sum(); }
}
