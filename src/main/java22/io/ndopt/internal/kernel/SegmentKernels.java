package io.ndopt.internal.kernel;

/**
 * JDK 22+: the fused kernels over {@link java.lang.foreign.MemorySegment} views of ND4J's off-heap
 * buffers, through the Vector API's {@code fromMemorySegment}/{@code intoMemorySegment}. The JDK 17
 * code never names this class: {@link KernelChoice} loads it by name on JDK 22+ only.
 */
final class SegmentKernels {
    private SegmentKernels() {}

    static CpuKernels create() {
        return new ViewKernels<>("MemorySegment vector kernels", Segments::of, new SegmentF32(), new SegmentF64());
    }
}
