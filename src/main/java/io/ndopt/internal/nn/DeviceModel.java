package io.ndopt.internal.nn;

import io.ndopt.device.MixedPrecision;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Dropout;
import io.ndopt.nn.Layer;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;

import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceParams;
import io.ndopt.param.Param;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Sequential} model's step on the GPU of its optimizer: the same computation as the CPU's
 * {@code Workspace} (same layers, same order, same element-wise arithmetic through {@link DeviceOps}),
 * with the parameters and their gradients in the optimizer's device buffers ({@link DeviceParams}),
 * the datasets uploaded once, each batch gathered on the device from the shuffled row numbers, and
 * per-layer buffers sized for the largest batch and reused.
 *
 * <p>Host traffic per step: the row numbers once per epoch, dropout masks (drawn on the host by the
 * same {@link Dropout} generators as on the CPU, so both devices drop the same units), and the loss
 * value when asked for ({@link #lastLoss()}). Evaluation runs the forward pass on the device and
 * downloads only the outputs ({@link #predict}).
 *
 * <p>Precision ({@link MixedPrecision}, float32 models): TF32 switches the products to TF32 tensor cores; BF16 and FP16
 * keep every buffer of the step in float32 (parameters, gradients, pre-activations, activations, output gradients)
 * and give the products 16-bit copies: the weights are rounded once per forward pass, each activation that feeds a
 * product and each output gradient once after it is computed, and cuBLAS accumulates in float32 into float32
 * results ({@link DeviceOps#gemmMixed}). FP16 also scales the loss gradient by the loss scale and, after the backward
 * pass, divides the parameter gradients by it again while checking them for inf and NaN ({@link #lossScale},
 * {@link #nonFiniteGradients}; the Trainer's {@code LossScaler} decides). The scale is read on the device, so a
 * captured step stays valid when it changes.
 */
public final class DeviceModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceModel.class);
    /** Largest number of rows one forward pass takes (evaluation runs in chunks of at most this many). */
    static final int MAX_ROWS = Sequential.MAX_FUSED_ROWS;
    /** Forward/backward passes run on a GPU in this JVM ({@link #passes}). */
    private static final java.util.concurrent.atomic.AtomicLong PASSES = new java.util.concurrent.atomic.AtomicLong();

    /**
     * How many forward/backward passes of any network have run on a GPU in this JVM: a check that a training ran
     * its network on the device reads it before and after (a silent fallback to the CPU leaves it unchanged).
     */
    public static long passes() { return PASSES.get(); }

    private final List<Layer> layers;
    private final DeviceParams dp;
    private final DeviceOps ops;
    private final DataType dtype;
    private final int bytes, inWidth;
    private final int[] width;
    private final MixedPrecision precision;
    /** BFLOAT16 or HALF for BF16/FP16 (the products' operands), else null. */
    private final DataType half;
    /** Per layer: whether a later Dense layer multiplies its output (so a 16-bit copy of it is made). */
    private final boolean[] feedsProduct;
    /** BF16/FP16: per Dense layer the 16-bit weights; per layer the 16-bit outputs and output gradients. */
    private long[] wHalf, outHalf, deltaHalf, resultHalf;
    private long inHalf;
    /** FP16: the loss scale on the device (null otherwise). */
    private DeviceLossScale lossScale;
    /** Per Dense layer (by layer index): device addresses of W, b and their gradients (fixed: the optimizer's buffers). */
    private final long[] w, b, gw, gb;
    private int capacity;
    private long input, target, index, lossValue;
    private int indexCapacity;
    private long[] out, pre, delta, result;
    private INDArray[] hostMask;
    private final INDArray hostValue = Nd4j.create(DataType.DOUBLE, 1);
    private final Map<INDArray, Data> uploaded = new IdentityHashMap<>();
    /** Captured training steps by (data, rows, loss); valid until the buffers are reallocated. */
    private final Map<GraphKey, Long> graphs = new HashMap<>();
    private boolean useGraphs = true;
    /** The batch cursor on the device (int32) and, when known, its value; the host copy it is uploaded from. */
    private long cursor;
    private int cursorValue = -1;
    private final INDArray hostCursor = Nd4j.create(DataType.INT, 1);
    private boolean closed;

    private record GraphKey(Data data, int rows, int loss) {}

    /** A dataset's features and targets on the device, in the model's dtype. */
    public record Data(long x, long y, int rows) {}

    /**
     * Why {@code model} cannot train on {@code dp}'s GPU in batches of {@code rows}, or null if it can: the layers
     * (Dense and Dropout of one dtype, as the CPU's fast path), the parameters (the optimizer must update exactly
     * the model's: in resident mode nothing else writes its gradients), the batch size, and cuBLAS (none starting
     * is a reason: the network then runs on the CPU while the optimizer still steps on the GPU).
     */
    public static String problem(Sequential model, DeviceParams dp, int rows) {
        String p = model.fastPathProblem();
        if (p != null) return p;
        Set<Param> mine = Collections.newSetFromMap(new IdentityHashMap<>());
        mine.addAll(model.params());
        Set<Param> theirs = Collections.newSetFromMap(new IdentityHashMap<>());
        theirs.addAll(dp.params());
        for (Param q : model.params()) {
            if (!theirs.contains(q)) return "parameter '" + q.name() + "' is not optimized by this optimizer";
        }
        for (Param q : dp.params()) {
            if (!mine.contains(q)) {
                return "the optimizer also updates parameter '" + q.name() + "', which this model computes no "
                        + "gradient for";
            }
        }
        if (rows > MAX_ROWS) return "batches of " + rows + " rows exceed " + MAX_ROWS;
        try {
            dp.ops();                                   // loads cuBLAS at the first call: none starting is a reason
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        return null;
    }

    private DeviceModel(Sequential model, DeviceParams dp, MixedPrecision precision) {
        String problem = problem(model, dp, 1);
        if (problem != null) throw new IllegalArgumentException("this model cannot run on the GPU: " + problem);
        this.layers = model.layers();
        this.dp = dp;
        this.ops = dp.ops();
        this.dtype = model.params().get(0).dtype();
        this.precision = java.util.Objects.requireNonNull(precision, "precision");
        if (precision != MixedPrecision.FP32 && dtype != DataType.FLOAT) {
            throw new IllegalArgumentException("precision " + precision.label() + " needs a float32 model; this one is "
                    + dtype);
        }
        this.half = precision == MixedPrecision.BF16 ? DataType.BFLOAT16 : precision == MixedPrecision.FP16 ? DataType.HALF : null;
        this.bytes = dtype.width();
        int n = layers.size();
        this.width = new int[n];
        this.w = new long[n];
        this.b = new long[n];
        this.gw = new long[n];
        this.gb = new long[n];
        Dense first = null;
        int wide = 0;
        for (int i = 0; i < n; i++) {
            if (layers.get(i) instanceof Dense d) {
                if (first == null) {
                    first = d;
                    wide = Math.toIntExact(d.inputs());
                }
                w[i] = dp.value(d.weight());
                b[i] = dp.value(d.bias());
                gw[i] = dp.grad(d.weight());
                gb[i] = dp.grad(d.bias());
                wide = Math.toIntExact(d.outputs());
            }
            width[i] = wide;
        }
        this.inWidth = Math.toIntExact(first.inputs());
        this.feedsProduct = new boolean[n];
        for (int i = n - 2; i >= 0; i--) feedsProduct[i] = feedsProduct[i + 1] || layers.get(i + 1) instanceof Dense;
        this.lossValue = ops.alloc(8, "loss value");
        this.cursor = ops.alloc(4, "batch cursor");
        if (half != null) {
            wHalf = new long[n];
            for (int i = 0; i < n; i++) {
                if (layers.get(i) instanceof Dense d) {
                    wHalf[i] = ops.alloc(2L * d.inputs() * d.outputs(), "layer '" + d.name() + "' 16-bit weights");
                }
            }
        }
        if (precision == MixedPrecision.FP16) lossScale = new DeviceLossScale(ops);
        if (precision == MixedPrecision.TF32) ops.tf32(true);
    }

    /**
     * Whether a training step is replayed from a captured CUDA graph (the default): the step's ~20
     * launches are recorded once per batch size and replayed with one launch, the batch's first row
     * read on the device from a cursor that the graph advances. Steps with active dropout (masks
     * come from the host each step) always launch one by one.
     */
    public DeviceModel graphs(boolean on) {
        this.useGraphs = on;
        return this;
    }

    /** Binds {@code model} to its optimizer's device parameters (every parameter must be in that optimizer). */
    public static DeviceModel open(Sequential model, DeviceParams dp) { return new DeviceModel(model, dp, MixedPrecision.FP32); }

    /** As {@link #open(Sequential, DeviceParams)}, computing in {@code precision} (anything but FP32: float32 models). */
    public static DeviceModel open(Sequential model, DeviceParams dp, MixedPrecision precision) {
        return new DeviceModel(model, dp, precision);
    }

    public DataType dtype() { return dtype; }

    public MixedPrecision precision() { return precision; }

    /**
     * FP16: the loss scale of the coming steps (the loss gradient is multiplied by it, the parameter gradients divided
     * by {@code inverse} after the backward pass); uploaded when it changes.
     */
    public void lossScale(float scale, float inverse) {
        checkOpen();
        if (precision != MixedPrecision.FP16) throw new IllegalStateException("loss scaling is for fp16, not " + precision.label());
        lossScale.set(scale, inverse);
    }

    /** FP16: whether the last step's scaled gradients held an inf or NaN (waits for the step). */
    public boolean nonFiniteGradients() {
        checkOpen();
        if (precision != MixedPrecision.FP16) throw new IllegalStateException("no gradient check outside fp16");
        return lossScale.nonFinite();
    }

    private int outWidth() { return width[width.length - 1]; }

    /** Uploads {@code x} and {@code y} (each once per array object, cast to the model's dtype) and waits. */
    public Data upload(INDArray x, INDArray y) {
        checkOpen();
        Data d = uploaded.get(x);
        if (d != null && uploaded.get(y) == d) return d;
        if (x.rank() != 2 || x.columns() != inWidth || y.rank() != 2 || y.columns() != outWidth()
                || x.rows() != y.rows()) {
            throw new IllegalArgumentException("device model: expected x [n, " + inWidth + "] and y [n, " + outWidth()
                    + "], got " + Arrays.toString(x.shape()) + " and " + Arrays.toString(y.shape()));
        }
        int rows = Math.toIntExact(x.rows());
        INDArray hx = x.castTo(dtype).dup('c'), hy = y.castTo(dtype).dup('c');
        long dx = ops.alloc(Math.max(1, hx.length()) * bytes, "features");
        long dy = ops.alloc(Math.max(1, hy.length()) * bytes, "targets");
        ops.upload(dx, address(hx), hx.length() * bytes);
        ops.upload(dy, address(hy), hy.length() * bytes);
        ops.synchronize();                                 // the host copies may go now
        d = new Data(dx, dy, rows);
        uploaded.put(x, d);
        uploaded.put(y, d);
        return d;
    }

    /** Uploads the row order of the coming batches (the epoch's shuffle) and waits. */
    public void permutation(int[] perm) {
        checkOpen();
        if (perm.length > indexCapacity) {
            if (index != 0) {
                ops.synchronize();
                dropGraphs();                                 // they read the old row-number buffer
                ops.free(index);
            }
            index = ops.alloc(4L * Math.max(1, perm.length), "row numbers");
            indexCapacity = perm.length;
        }
        INDArray host = Nd4j.createFromArray(perm);
        ops.upload(index, address(host), 4L * perm.length);
        ops.synchronize();
        cursorValue = -1;
    }

    /**
     * Queues one training step's forward, loss and backward on rows {@code perm[from..to)} of {@code d} (the
     * last {@link #permutation}); the gradients land in the optimizer's device buffers.
     */
    public void lossAndGradients(Data d, int from, int to, Loss loss) {
        checkOpen();
        PASSES.incrementAndGet();
        int rows = to - from;
        if (rows <= 0 || rows > MAX_ROWS || to > indexCapacity) {
            throw new IllegalArgumentException("device model: batch rows [" + from + ", " + to + ") outside [0, "
                    + indexCapacity + ") or over " + MAX_ROWS + " rows");
        }
        ensure(rows);
        if (useGraphs && !dropping()) {
            if (cursorValue != from) {
                cursorValue = -1;
                hostCursor.putScalar(0, from);
                ops.upload(cursor, address(hostCursor), 4);   // the step's synchronization comes before the next
            }
            GraphKey key = new GraphKey(d, rows, lossCode(loss));
            Long g = graphs.get(key);
            if (g == null) {
                try {
                    g = capture(d, rows, loss);
                } catch (RuntimeException e) {                // a driver that cannot capture: launch one by one
                    LOG.warn("ndopt: CUDA graph capture failed ({}); training steps launch kernel by kernel", e.toString());
                    useGraphs = false;
                    cursorValue = -1;
                    lossAndGradients(d, from, to, loss);
                    return;
                }
                graphs.put(key, g);
            }
            ops.launchGraph(g);
            cursorValue = from + rows;
            return;
        }
        cursorValue = -1;
        ops.gatherRows(dtype, d.x(), index, from, rows, inWidth, input);
        ops.gatherRows(dtype, d.y(), index, from, rows, outWidth(), target);
        step(rows, loss);
    }

    /** Forward, loss and backward of the gathered batch. */
    private void step(int rows, Loss loss) {
        if (lossScale != null && !lossScale.set()) {
            throw new IllegalStateException("fp16: set the loss scale (lossScale) before the first step");
        }
        forward(input, rows);
        int last = layers.size() - 1;
        ops.lossAndGradient(dtype, lossCode(loss), result[last], target, delta[last], rows, outWidth(), lossValue);
        if (lossScale != null) lossScale.scaleLoss(delta[last], (long) rows * outWidth());
        backward(rows);
        if (lossScale != null) {
            lossScale.clear();
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i) instanceof Dense d) {
                    lossScale.unscale(gw[i], d.inputs() * d.outputs());
                    lossScale.unscale(gb[i], d.outputs());
                }
            }
        }
    }

    /** Records one training step (gather at the cursor, advance it, forward, loss, backward) as a graph. */
    private long capture(Data d, int rows, Loss loss) {
        ops.beginCapture();
        try {
            ops.gatherRowsAt(dtype, d.x(), index, cursor, rows, inWidth, input);
            ops.gatherRowsAt(dtype, d.y(), index, cursor, rows, outWidth(), target);
            ops.advance(cursor, rows);
            step(rows, loss);
        } catch (RuntimeException e) {
            try {
                ops.destroyGraph(ops.endCapture());          // end the recording so the stream works again
            } catch (RuntimeException ended) {
                e.addSuppressed(ended);
            }
            throw e;
        }
        return ops.endCapture();
    }

    /** Whether a dropout layer draws masks now (training mode, p > 0). */
    private boolean dropping() {
        for (Layer l : layers) if (l instanceof Dropout dr && dr.active()) return true;
        return false;
    }

    /** The loss of the last {@link #lossAndGradients} (waits for it). */
    public double lastLoss() {
        ops.download(address(hostValue), lossValue, 8);
        return hostValue.getDouble(0);
    }

    /** The model's outputs for every row of {@code d}, computed on the device in chunks, as a host array. */
    public INDArray predict(Data d) {
        checkOpen();
        INDArray outHost = Nd4j.create(dtype, d.rows(), outWidth());
        int chunk = capacity > 0 ? capacity : 1024;    // the training buffers: no regrowth, captured graphs stay valid
        for (int from = 0; from < d.rows(); from += chunk) {
            int rows = Math.min(chunk, d.rows() - from);
            ensure(rows);
            long h = forward(d.x() + (long) from * inWidth * bytes, rows);
            ops.download(address(outHost) + (long) from * outWidth() * bytes, h, (long) rows * outWidth() * bytes);
        }
        return outHost;
    }

    private long forward(long x, int rows) {
        long h = x, hh = 0;                            // hh: the 16-bit copy of h (BF16/FP16)
        if (half != null) {
            ops.toHalf(half, x, inHalf, (long) rows * inWidth);
            hh = inHalf;
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            boolean produced = false;
            if (l instanceof Dense d) {
                int in = Math.toIntExact(d.inputs());
                if (half != null) {
                    ops.toHalf(half, w[i], wHalf[i], (long) in * width[i]);
                    ops.gemmMixed(half, false, false, rows, width[i], in, hh, wHalf[i], 0, pre[i]);
                } else {
                    ops.gemm(dtype, false, false, rows, width[i], in, h, w[i], 0, pre[i]);
                }
                ops.biasActivation(dtype, pre[i], b[i], out[i], rows, width[i],
                        activationCode(d.activation()));
                h = out[i];
                produced = true;
            } else if (l instanceof Dropout dr && dr.active()) {
                long len = (long) rows * width[i];         // 64-bit: rows·width can pass 2³¹
                dr.drawMask(hostMask[i], hostLength(len, "the dropout mask"));
                ops.upload(pre[i], address(hostMask[i]), (long) len * bytes);
                ops.multiply(dtype, h, pre[i], out[i], len);
                h = out[i];
                produced = true;
            }
            if (half != null && produced && feedsProduct[i]) {
                ops.toHalf(half, out[i], outHalf[i], (long) rows * width[i]);
                hh = outHalf[i];
            }
            result[i] = h;                             // an inactive dropout passes its input through
            if (half != null) resultHalf[i] = hh;
        }
        return h;
    }

    /** {@code len} as a host array length (ND4J's host masks are int-indexed), or a clear error. */
    static int hostLength(long len, String what) {
        if (len > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " of " + len + " elements exceeds the host's 2^31 - 1 per array;"
                    + " use smaller batches");
        }
        return (int) len;
    }

    private void backward(int rows) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            long below = i == 0 ? input : result[i - 1];
            long dBelow = i > 0 ? delta[i - 1] : 0;
            Layer l = layers.get(i);
            if (l instanceof Dense d) {
                int in = Math.toIntExact(d.inputs()), n = width[i];
                ops.activationBackward(dtype, pre[i], out[i], delta[i], rows, n, activationCode(d.activation()),
                        gb[i]);
                if (half != null) {                    // the products read 16-bit copies, write float32
                    long belowHalf = i == 0 ? inHalf : resultHalf[i - 1];
                    ops.toHalf(half, delta[i], deltaHalf[i], (long) rows * n);
                    ops.gemmMixed(half, true, false, in, n, rows, belowHalf, deltaHalf[i], 0, gw[i]);
                    if (dBelow != 0) ops.gemmMixed(half, false, true, rows, in, n, deltaHalf[i], wHalf[i], 0, dBelow);
                    continue;
                }
                ops.gemm(dtype, true, false, in, n, rows, below, delta[i], 0, gw[i]);     // dW = xᵀ·dZ
                if (dBelow != 0) ops.gemm(dtype, false, true, rows, in, n, delta[i], w[i], 0, dBelow);
            } else if (dBelow != 0) {
                long len = (long) rows * width[i];
                if (result[i] != out[i]) ops.copy(dBelow, delta[i], len * bytes);                  // inactive dropout
                else ops.multiply(dtype, delta[i], pre[i], dBelow, len);                            // dx = dOut ⊙ m
            }
        }
    }

    private void ensure(int rows) {
        if (rows <= capacity) return;
        freeBuffers();
        capacity = rows;
        input = buf(inWidth, "input rows");
        target = buf(outWidth(), "target rows");
        out = new long[layers.size()];
        pre = new long[layers.size()];
        delta = new long[layers.size()];
        result = new long[layers.size()];
        hostMask = new INDArray[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            String name = "layer '" + layers.get(i).name() + "' ";
            out[i] = buf(width[i], name + "outputs");
            pre[i] = buf(width[i], name + (layers.get(i) instanceof Dropout ? "mask" : "pre-activations"));
            delta[i] = buf(width[i], name + "output gradients");
            if (layers.get(i) instanceof Dropout) hostMask[i] = Nd4j.create(dtype, (long) capacity * width[i]);
        }
        if (half != null) {
            inHalf = ops.alloc(2L * capacity * inWidth, "16-bit input rows");
            outHalf = new long[layers.size()];
            deltaHalf = new long[layers.size()];
            resultHalf = new long[layers.size()];
            for (int i = 0; i < layers.size(); i++) {
                String name = "layer '" + layers.get(i).name() + "' 16-bit ";
                outHalf[i] = ops.alloc(2L * capacity * width[i], name + "outputs");
                deltaHalf[i] = ops.alloc(2L * capacity * width[i], name + "output gradients");
            }
        }
    }

    private long buf(int w, String what) { return ops.alloc((long) capacity * w * bytes, what); }

    private void freeBuffers() {
        if (capacity == 0) return;
        ops.synchronize();
        dropGraphs();
        ops.free(input);
        ops.free(target);
        for (int i = 0; i < layers.size(); i++) {
            ops.free(out[i]);
            ops.free(pre[i]);
            ops.free(delta[i]);
            if (half != null) {
                ops.free(outHalf[i]);
                ops.free(deltaHalf[i]);
            }
        }
        if (half != null) ops.free(inHalf);
        capacity = 0;
    }

    private void dropGraphs() {
        for (long g : graphs.values()) ops.destroyGraph(g);
        graphs.clear();
    }

    static int activationCode(Activation a) {
        return switch (a) {
            case IDENTITY -> DeviceOps.ACT_IDENTITY;
            case RELU -> DeviceOps.ACT_RELU;
            case LEAKY_RELU -> DeviceOps.ACT_LEAKY_RELU;
            case TANH -> DeviceOps.ACT_TANH;
            case SIGMOID -> DeviceOps.ACT_SIGMOID;
            case SOFTMAX -> DeviceOps.ACT_SOFTMAX;
        };
    }

    static int lossCode(Loss loss) {
        return switch (loss) {
            case MSE -> DeviceOps.LOSS_MSE;
            case BCE_WITH_LOGITS -> DeviceOps.LOSS_BCE_WITH_LOGITS;
            case SOFTMAX_CROSS_ENTROPY -> DeviceOps.LOSS_SOFTMAX_CROSS_ENTROPY;
        };
    }

    private static long address(INDArray a) { return a.data().addressPointer().address(); }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("device model is closed");
    }

    /** Frees every device buffer of this model (the parameters belong to the optimizer and stay). */
    @Override public void close() {
        if (closed) return;
        closed = true;
        freeBuffers();
        for (Data d : new HashSet<>(uploaded.values())) {
            ops.free(d.x());
            ops.free(d.y());
        }
        uploaded.clear();
        if (index != 0) ops.free(index);
        ops.free(lossValue);
        ops.free(cursor);
        if (wHalf != null) for (long p : wHalf) if (p != 0) ops.free(p);
        if (lossScale != null) lossScale.close();
        if (precision == MixedPrecision.TF32) ops.tf32(false);
    }
}
