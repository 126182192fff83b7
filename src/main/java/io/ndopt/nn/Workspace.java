package io.ndopt.nn;

import io.ndopt.internal.passes.FusedPasses;
import io.ndopt.internal.passes.Buf;

import io.ndopt.backend.Blas;
import io.ndopt.backend.BlasCheck;
import io.ndopt.backend.Threads;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link Sequential} model's preallocated buffers and its allocation-free step: per layer the
 * output, the pre-activation (Dense) or mask (Dropout) and dL/d(output), sized for {@code capacity}
 * rows; a batch of {@code rows ≤ capacity} uses the first {@code rows} rows of each, so the last
 * partial batch and smaller evaluation batches reuse them, and a larger batch regrows them once.
 * Products go through {@link Blas#gemm} into these buffers and parameter gradients; everything
 * else is one fused pass ({@link FusedPasses}).
 */
final class Workspace {
    private final List<Layer> layers;
    private final DataType dtype;
    private final int inWidth;
    private final int[] width;
    private int capacity;
    private Buf input, target, inputGrad;
    /** What the next forward reads and the loss compares with: the own buffers, or the caller's arrays ({@link #use}). */
    private Buf current, currentTarget;
    private Buf[] out, pre, delta;
    /** What each layer of the last forward produced: its own output buffer, or its input for an inactive dropout. */
    private Buf[] result;
    private final ParamBufs[] params;
    private final double[] colSum;
    private Buf lastInput;
    /** The dataset arrays rows were last gathered from (kept: a view costs a JNI call to make). */
    private Buf srcX, srcY;
    private int lastRows = -1;

    /** Value and gradient views of a Dense layer's W and b, rebuilt when an optimizer relocates them. */
    private static final class ParamBufs {
        Buf w, gw, b, gb;
    }

    Workspace(List<Layer> layers, DataType dtype, int inWidth) {
        this.layers = layers;
        this.dtype = dtype;
        this.inWidth = inWidth;
        this.width = new int[layers.size()];
        this.params = new ParamBufs[layers.size()];
        int w = inWidth, max = inWidth;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Dense d) {
                w = Math.toIntExact(d.outputs());
                params[i] = new ParamBufs();
            }
            width[i] = w;
            max = Math.max(max, w);
        }
        this.colSum = new double[max];
        Threads.ensureConfigured();
        if (!BlasCheck.verified()) {
            throw new IllegalStateException("OpenBLAS computes wrong products on this CPU (" + BlasCheck.failure()
                    + "); set OPENBLAS_CORETYPE to a core type that benchmarks/blas-coretypes verifies, e.g. Haswell");
        }
    }

    DataType dtype() { return dtype; }
    int outWidth() { return width[width.length - 1]; }
    int lastRows() { return lastRows; }

    private void ensure(int rows) {
        if (rows <= capacity) return;
        capacity = rows;
        input = buf(inWidth);
        inputGrad = null;
        target = buf(outWidth());
        out = new Buf[layers.size()];
        pre = new Buf[layers.size()];
        delta = new Buf[layers.size()];
        result = new Buf[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            out[i] = buf(width[i]);
            pre[i] = buf(width[i]);
            delta[i] = buf(width[i]);
        }
    }

    private Buf buf(int w) { return Buf.of(Nd4j.create(dtype, (long) capacity * w)); }

    /**
     * Copies rows {@code perm[from..to)} of {@code x} (and {@code y}, if not null) into the input (and target) buffers.
     */
    void gather(INDArray x, INDArray y, int[] perm, int from, int to) {
        int rows = to - from;
        ensure(rows);
        if (srcX == null || srcX.array != x) srcX = Buf.of(x);
        if (y != null && (srcY == null || srcY.array != y)) srcY = Buf.of(y);
        Buf bx = srcX, by = y == null ? null : srcY;
        int ny = outWidth();
        for (int r = 0; r < rows; r++) {
            input.copyFrom(bx, perm[from + r] * inWidth, r * inWidth, inWidth);
            if (by != null) target.copyFrom(by, perm[from + r] * ny, r * ny, ny);
        }
        current = input;
        currentTarget = target;
    }

    /** Copies {@code x} (and {@code y}) as they are into the input (and target) buffers. */
    void load(INDArray x, INDArray y) {
        int rows = Math.toIntExact(x.rows());
        ensure(rows);
        input.copyFrom(Buf.of(x), 0, 0, rows * inWidth);
        if (y != null) target.copyFrom(Buf.of(y), 0, 0, rows * outWidth());
        current = input;
        currentTarget = target;
    }

    /**
     * Reads {@code x} and {@code y} where they are, without copying them, until the next {@link #load}, {@link #use}
     * or {@link #gather}: for a forward and backward within one call, which the caller's arrays outlive unchanged.
     */
    void use(INDArray x, INDArray y) {
        ensure(Math.toIntExact(x.rows()));
        if (srcX == null || srcX.array != x) srcX = Buf.of(x);
        if (srcY == null || srcY.array != y) srcY = Buf.of(y);
        current = srcX;
        currentTarget = srcY;
    }

    /** Forward over the first {@code rows} rows of the input ({@link #load}, {@link #use} or {@link #gather}). */
    Buf forward(int rows) {
        Buf h = current;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Dense d) {
                ParamBufs p = bind(i, d);
                Blas.gemm(dtype, false, false, rows, width[i], Math.toIntExact(d.inputs()), h.pointer(), p.w.pointer(),
                        0, pre[i].pointer());
                FusedPasses.biasActivation(pre[i], p.b, out[i], rows, width[i], d.activation().ordinal());
                h = out[i];
            } else if (l instanceof Dropout dr && dr.active()) {
                dr.drawMask(pre[i], rows * width[i]);
                FusedPasses.multiply(h, pre[i], out[i], rows * width[i]);
                h = out[i];
            }
            result[i] = h;        // an inactive dropout passes its input through, no copy
        }
        lastInput = current;
        lastRows = rows;
        return h;
    }

    /** Loss value; its gradient goes into the last layer's delta buffer. */
    double loss(Loss loss, int rows) {
        int last = layers.size() - 1;
        return FusedPasses.lossAndGradient(loss.ordinal(), result[last], currentTarget, delta[last], rows, outWidth());
    }

    /** Copies a caller's dL/d(output) into the last layer's delta buffer. */
    void setOutputGradient(INDArray dOut) {
        delta[layers.size() - 1].copyFrom(Buf.of(dOut), 0, 0, lastRows * outWidth());
    }

    /**
     * Backward from the last layer's delta: parameter gradients are overwritten; dL/d(input) is
     * computed only if {@code wantInputGrad} (it costs a product nobody needs while training).
     */
    Buf backward(boolean wantInputGrad) {
        int rows = lastRows;
        for (int i = layers.size() - 1; i >= 0; i--) {
            Buf below = i == 0 ? lastInput : result[i - 1];
            Buf dBelow = i > 0 ? delta[i - 1] : wantInputGrad ? inputGradBuf() : null;
            Layer l = layers.get(i);
            if (l instanceof Dense d) {
                ParamBufs p = bind(i, d);
                int in = Math.toIntExact(d.inputs()), n = width[i];
                FusedPasses.activationBackward(pre[i], out[i], delta[i], rows, n, d.activation().ordinal(), colSum, p.gb);
                // dW = xᵀ·dZ
                Blas.gemm(dtype, true, false, in, n, rows, below.pointer(), delta[i].pointer(), 0, p.gw.pointer());
                // dx = dZ·Wᵀ
                if (dBelow != null) Blas.gemm(dtype, false, true, rows, in, n, delta[i].pointer(), p.w.pointer(), 0,
                        dBelow.pointer());
            } else if (dBelow != null) {
                if (result[i] != out[i]) dBelow.copyFrom(delta[i], 0, 0, rows * width[i]);       // inactive dropout
                else FusedPasses.multiply(delta[i], pre[i], dBelow, rows * width[i]);                 // dx = dOut ⊙ m
            }
        }
        return wantInputGrad ? inputGrad : null;
    }

    private Buf inputGradBuf() {
        if (inputGrad == null) inputGrad = buf(inWidth);
        return inputGrad;
    }

    private ParamBufs bind(int i, Dense d) {
        ParamBufs p = params[i];
        if (p.w == null || p.w.array != d.weight().value()) p.w = Buf.of(d.weight().value());
        if (p.gw == null || p.gw.array != d.weight().grad()) p.gw = Buf.of(d.weight().grad());
        if (p.b == null || p.b.array != d.bias().value()) p.b = Buf.of(d.bias().value());
        if (p.gb == null || p.gb.array != d.bias().grad()) p.gb = Buf.of(d.bias().grad());
        return p;
    }

    /** The first {@code rows} rows of a buffer as a fresh {@code [rows, w]} array the caller owns. */
    static INDArray copyOut(Buf b, int rows, int w) {
        INDArray r = Nd4j.create(b.array.dataType(), rows, w);
        Buf.of(r).copyFrom(b, 0, 0, rows * w);
        return r;
    }

    Buf output() { return result[result.length - 1]; }
    int inWidth() { return inWidth; }
}
