package io.ndopt.param;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A named, trainable tensor with its gradient and its {@link Role}.
 *
 * <p>An optimizer may relocate a parameter into its flat buffer ({@link FlatStore}); after that
 * {@link #value()} and {@link #grad()} return views of that buffer. Always read the live arrays
 * through this object rather than keeping the array you passed in.
 */
public final class Param {
    private final String name;
    private final Role role;
    private INDArray value;
    private INDArray grad;
    /** Whether the gradient has been set (PyTorch: {@code grad is not None}); see {@link #hasGrad()}. */
    private volatile boolean gradSet;
    /** The optimizer that updates this parameter, or null (guarded by this). */
    private Object owner;

    private Param(String name, Role role, INDArray value) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("parameter name must not be empty");
        this.name = name;
        this.role = Objects.requireNonNull(role, "role");
        Objects.requireNonNull(value, () -> "parameter '" + name + "': value is null");
        if (!value.dataType().isFPType()) {
            throw new IllegalArgumentException("parameter '" + name + "': dtype " + value.dataType()
                    + " is not floating point (use FLOAT or DOUBLE)");
        }
        this.value = value;
        this.grad = value.ulike();
        this.grad.assign(0);
    }

    public static Param of(String name, Role role, INDArray value) { return new Param(name, role, value); }
    public static Param weight(String name, INDArray value) { return new Param(name, Role.WEIGHT, value); }
    public static Param bias(String name, INDArray value) { return new Param(name, Role.BIAS, value); }

    public String name() { return name; }
    public Role role() { return role; }
    public INDArray value() { return value; }
    /**
     * The gradient array, to read or to write into; asking for it counts as setting the gradient
     * ({@link #hasGrad()}), since the caller may write it.
     */
    public INDArray grad() {
        gradSet = true;
        return grad;
    }

    /**
     * Whether this parameter has a gradient, PyTorch's {@code p.grad is not None}: false from creation until
     * {@link #setGrad}, {@link #addGrad}, {@link #zeroGrad} or {@link #grad()}, and again after {@link #clearGrad()}. An
     * optimizer skips a parameter without a gradient: no update, no decay, no prox, no state change.
     */
    public boolean hasGrad() { return gradSet; }

    /** Zeroes the gradient and marks it unset, PyTorch's {@code p.grad = None}: optimizers skip the parameter. */
    public void clearGrad() {
        grad.assign(0);
        gradSet = false;
    }

    /** The gradient array without counting as setting it (for optimizers reading what the user set). */
    public INDArray gradArray() { return grad; }
    public DataType dtype() { return value.dataType(); }
    public long length() { return value.length(); }
    public long[] shape() { return value.shape(); }

    /** Copies {@code g} into this parameter's gradient, after checking its shape and dtype. */
    public void setGrad(INDArray g) {
        checkCompatible(g, "gradient");
        grad.assign(g);
        gradSet = true;
    }

    /** Adds {@code g} to this parameter's gradient (accumulation over micro-batches). */
    public void addGrad(INDArray g) {
        checkCompatible(g, "gradient");
        grad.addi(g);
        gradSet = true;
    }

    /** Copies {@code v} into this parameter's value, after checking its shape and dtype. */
    public void setValue(INDArray v) {
        checkCompatible(v, "value");
        value.assign(v);
    }

    /**
     * Sets the gradient to zeros: the parameter has a gradient, so an optimizer still applies decay and its
     * rule (PyTorch's {@code zero_grad(set_to_none=False)}); {@link #clearGrad()} removes it instead.
     */
    public void zeroGrad() {
        grad.assign(0);
        gradSet = true;
    }

    /** Checks that {@code a} has this parameter's shape and dtype; the message names the parameter. */
    public void checkCompatible(INDArray a, String what) {
        Objects.requireNonNull(a, () -> "parameter '" + name + "': " + what + " is null");
        if (!Arrays.equals(a.shape(), value.shape())) {
            throw new IllegalArgumentException("parameter '" + name + "': " + what + " shape "
                    + Arrays.toString(a.shape()) + " does not match parameter shape " + Arrays.toString(value.shape()));
        }
        if (a.dataType() != value.dataType()) {
            throw new IllegalArgumentException("parameter '" + name + "': " + what + " dtype " + a.dataType()
                    + " does not match parameter dtype " + value.dataType());
        }
    }

    /**
     * Makes {@code optimizer} this parameter's one owner (called by an optimizer's build): a parameter
     * has one optimizer at a time, since an optimizer may move it into its own flat buffer and a second
     * one would update a copy the first no longer sees.
     *
     * @throws IllegalArgumentException if another optimizer, not yet closed, owns it
     */
    public synchronized void claim(Object optimizer) {
        Objects.requireNonNull(optimizer, "optimizer");
        if (owner != null && owner != optimizer) {
            throw new IllegalArgumentException("parameter '" + name + "' belongs to another optimizer; close() that"
                    + " optimizer first (a parameter is updated by one optimizer at a time)");
        }
        owner = optimizer;
    }

    /** Gives the parameter up if {@code optimizer} owns it (called by the optimizer's close()). */
    public synchronized void release(Object optimizer) {
        if (owner == optimizer) owner = null;
    }

    /** Rebinds value and gradient to new storage (views of a flat buffer). Contents must already be copied. */
    void bind(INDArray newValue, INDArray newGrad) {
        this.value = newValue;
        this.grad = newGrad;
    }

    @Override public String toString() {
        return name + Arrays.toString(value.shape()) + "(" + role + ", " + value.dataType() + ")";
    }
}
