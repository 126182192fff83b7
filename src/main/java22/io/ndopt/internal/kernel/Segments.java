package io.ndopt.internal.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * JDK 22+: a dense ND4J array's elements as a {@link MemorySegment} over its off-heap buffer, no copy.
 * Built on {@link MemorySegment#ofBuffer}, which is not a restricted method, so it needs no
 * {@code --enable-native-access}. The segment is valid while the array is reachable: callers keep the
 * array alive (e.g. {@link java.lang.ref.Reference#reachabilityFence}) until they are done with it.
 */
public final class Segments {
    private Segments() {}

    /**
     * The {@code length × width} bytes of {@code a} from its view offset on. The array must be dense
     * (element-wise stride 1) and its bytes must fit an {@code int} (a {@code ByteBuffer} limit).
     */
    public static MemorySegment of(INDArray a) {
        if (a.length() > 0 && a.elementWiseStride() != 1) {
            throw new IllegalArgumentException("array is not dense (element-wise stride "
                    + a.elementWiseStride() + ")");
        }
        long width = a.dataType().width(), from = a.offset() * width, bytes = a.length() * width;
        if (from + bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array of " + bytes + " bytes at offset " + from + " exceeds 2 GiB");
        }
        return MemorySegment.ofBuffer(a.data().asNio().order(ByteOrder.nativeOrder())).asSlice(from, bytes);
    }
}
