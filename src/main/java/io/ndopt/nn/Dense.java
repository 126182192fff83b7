package io.ndopt.nn;

import io.ndopt.param.Param;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fully connected layer {@code a = act(x·W + b)} with {@code W: [in, out]} (role weight) and
 * {@code b: [1, out]} (role bias). Backward, with {@code dZ = act'(z) ⊙ dA}:
 * {@code dW = xᵀ·dZ}, {@code db = Σ_rows dZ}, {@code dx = dZ·Wᵀ}.
 */
public final class Dense implements Layer {
    private final String name;
    private final Activation activation;
    private final Param w;
    private final Param b;
    private INDArray x, z, a;

    public Dense(String name, long in, long out, Activation activation, Init init, DataType dtype, long seed) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("layer '" + name + "': sizes must be > 0, got " + in + "x" + out);
        }
        this.name = name;
        this.activation = activation;
        this.w = Param.weight(name + ".W", init.sample(in, out, dtype, seed));
        this.b = Param.bias(name + ".b", Nd4j.zeros(dtype, 1, out));
    }

    @Override public INDArray forward(INDArray input) {
        if (input.rank() != 2 || input.columns() != w.shape()[0]) {
            throw new IllegalArgumentException("layer '" + name + "': expected input [batch, "
                    + w.shape()[0] + "], got " + Arrays.toString(input.shape()));
        }
        x = input;
        z = Nd4j.gemm(input, w.value(), false, false).addiRowVector(b.value());
        a = activation.forward(z);
        return a;
    }

    @Override public INDArray backward(INDArray dOut) {
        if (x == null) throw new IllegalStateException("layer '" + name + "': backward before forward");
        INDArray dZ = activation.backward(z, a, dOut);
        INDArray gw = w.grad();
        if (gw.ordering() == 'c' && gw.elementWiseStride() == 1 && dZ.dataType() == gw.dataType()) {
            Nd4j.gemm(x, dZ, gw, true, false, 1.0, 0.0);           // dW = xᵀ·dZ straight into the gradient buffer
        } else {
            w.setGrad(Nd4j.gemm(x, dZ, true, false));
        }
        b.setGrad(dZ.sum(true, 0));
        return Nd4j.gemm(dZ, w.value(), false, true);              // dx = dZ·Wᵀ
    }

    @Override public List<Param> params() { return List.of(w, b); }
    @Override public String name() { return name; }
    public Param weight() { return w; }
    public Param bias() { return b; }
    public Activation activation() { return activation; }
    public long inputs() { return w.shape()[0]; }
    public long outputs() { return w.shape()[1]; }
}
