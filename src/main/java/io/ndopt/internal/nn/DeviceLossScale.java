package io.ndopt.internal.nn;

import io.ndopt.internal.device.DeviceOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * fp16 loss scaling on the device, for {@link DeviceModel}: the scale and its inverse as two device floats (read by
 * the kernels when they run, so a captured step stays valid when the scale changes), the int32 flag of a non-finite
 * gradient, and the host copies they travel through. The decisions are the Trainer's {@code LossScaler}'s.
 */
final class DeviceLossScale implements AutoCloseable {
    private final DeviceOps ops;
    /** {scale, 1/scale} (float32) and the found flag (int32). */
    private final long scales, found;
    private final INDArray hostScales = Nd4j.create(DataType.FLOAT, 2), hostFound = Nd4j.create(DataType.INT, 1);
    private float current = Float.NaN;

    DeviceLossScale(DeviceOps ops) {
        this.ops = ops;
        this.scales = ops.alloc(8, "loss scale");
        long f;
        try {
            f = ops.alloc(4, "non-finite gradient flag");
        } catch (RuntimeException e) {
            ops.free(scales);
            throw e;
        }
        this.found = f;
    }

    /** Whether a scale was set. */
    boolean set() { return !Float.isNaN(current); }

    /** Uploads {@code scale} and {@code inverse} when the scale changed (after the queued work that reads them). */
    void set(float scale, float inverse) {
        if (Float.floatToRawIntBits(scale) == Float.floatToRawIntBits(current)) return;
        ops.synchronize();                                  // the previous host copy may be in flight
        hostScales.putScalar(0, scale);
        hostScales.putScalar(1, inverse);
        ops.upload(scales, hostScales.data().addressPointer().address(), 8);
        current = scale;
    }

    /** Queues {@code lossGradient ← lossGradient · scale} ({@code len} float32 elements). */
    void scaleLoss(long lossGradient, long len) { ops.scale(lossGradient, len, scales); }

    /** Queues the clearing of the found flag (before the first {@link #unscale} of a step). */
    void clear() { ops.zero(found, 4); }

    /** Queues {@code g ← g / scale}, raising the found flag on an inf or NaN. */
    void unscale(long g, long len) { ops.unscaleAndCheck(g, len, scales + 4, found); }

    /** Whether the last step raised the flag (waits for it). */
    boolean nonFinite() {
        ops.download(hostFound.data().addressPointer().address(), found, 4);
        return hostFound.getInt(0) != 0;
    }

    @Override public void close() {
        try {
            ops.free(scales);
        } finally {
            ops.free(found);
        }
    }
}
