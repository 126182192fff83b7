package io.ndopt.internal.device;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The host side of one flat store that a {@link DeviceUpdater} mirrors on the GPU: the value and
 * gradient buffers of one dtype and the state buffers (one per rule slot), all of one length. The
 * device copies use the same offsets, so the CPU's segment plan addresses both.
 */
public record DeviceStore(DataType dtype, INDArray values, INDArray grads, INDArray[] state) {
    public DeviceStore {
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("device store: dtype " + dtype + " is not FLOAT or DOUBLE");
        }
        state = state.clone();
        long n = values.length();
        check(values, "values", dtype, n);
        check(grads, "grads", dtype, n);
        for (int i = 0; i < state.length; i++) check(state[i], "state[" + i + "]", dtype, n);
    }

    private static void check(INDArray a, String what, DataType dtype, long n) {
        if (a == null) throw new IllegalArgumentException("device store: " + what + " is null");
        // a dense view (the flat store's buffers start at a cache-line offset into ND4J's) is fine: the device
        // copies take the view's own address (DataBuffer.addressPointer() includes the view's offset)
        boolean dense = a.length() <= 1 || a.elementWiseStride() == 1;
        if (a.dataType() != dtype || a.length() != n || !dense || !a.isVector() && a.length() > 1) {
            throw new IllegalArgumentException("device store: " + what + " must be a dense " + dtype
                    + " vector of length " + n + ", got " + a.dataType() + " " + Arrays.toString(a.shape())
                    + " with element stride " + a.elementWiseStride());
        }
    }

    public long length() { return values.length(); }

    @Override public INDArray[] state() { return state.clone(); }
}
