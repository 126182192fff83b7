package io.ndopt.internal.device;

import io.ndopt.device.GpuInfo;

import java.util.List;

/**
 * ndopt's GPU engine as the JDK 17 code sees it: device discovery and opening a {@link DeviceUpdater}.
 * The implementation ({@code io.ndopt.internal.cuda.CudaEngine}) needs the FFM API of JDK 22+ and the CUDA
 * driver; {@link Gpu#engine()} loads it by name at run time, never by a static reference, and
 * otherwise returns an engine that says why it is unavailable.
 */
public interface GpuEngine {
    /** Whether a CUDA driver is loaded and initialized (there may still be zero devices). */
    boolean available();

    /** Why the engine cannot run here; empty when {@link #available()}. */
    String unavailableReason();

    /** The devices the driver reports (empty when unavailable). */
    List<GpuInfo> devices();

    /** The NVRTC that compiles the kernels, e.g. "NVRTC 13.0 (/usr/local/cuda/lib64/libnvrtc.so.13)", or why none. */
    String compiler();

    /** The compute capabilities the compiler emits machine code for (e.g. 75 ... 120); empty when unknown. */
    default int[] compilerArchs() { return new int[0]; }

    /** The cuBLAS library the network's products would use, or "none: " and the one-line reason. */
    default String blas() { return "none: no GPU engine"; }

    /**
     * Allocates the stores on device {@code ordinal}, uploads their values and state, and prepares
     * the kernels (compiled for that device, or from the disk cache).
     */
    DeviceUpdater open(int ordinal, List<DeviceStore> stores, List<DeviceSegment> segments);
}
