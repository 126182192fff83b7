package io.ndopt.internal.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * JDK 17-18: the fused kernels over {@code ByteBuffer} views, through the Vector API's
 * {@code fromByteBuffer}/{@code intoByteBuffer} (removed from the Vector API in JDK 19).
 * Loaded only when {@link KernelChoice} has checked that those methods link.
 */
final class BufferKernels {
    private BufferKernels() {}

    static CpuKernels create() {
        return new ViewKernels<>("ByteBuffer vector kernels", BufferKernels::bytes, new BufferF32(), new BufferF64());
    }

    /** The bytes of a dense array: its allocation from position 0, sliced at the view's offset. */
    static ByteBuffer bytes(INDArray a) {
        int width = a.dataType().width();
        ByteBuffer all = a.data().asNio();
        return all.slice((int) (a.offset() * width), (int) (a.length() * width)).order(ByteOrder.nativeOrder());
    }
}
