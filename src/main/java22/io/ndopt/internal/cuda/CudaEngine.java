package io.ndopt.internal.cuda;

import io.ndopt.internal.device.DeviceSegment;
import io.ndopt.internal.device.DeviceStore;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.Gpu;
import io.ndopt.internal.device.GpuEngine;
import io.ndopt.device.GpuInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ndopt's CUDA engine: the driver API and NVRTC through the FFM API (JDK 22+), no JNI and no native
 * jar. Created by {@link Gpu#engine()} through {@link #create()}; kernels are compiled once per
 * device architecture and cached on disk ({@link KernelCache#defaultDir()}).
 */
public final class CudaEngine implements GpuEngine {
    private final Driver cu;
    private final List<GpuInfo> devices;
    private final Nvrtc nvrtc;
    private final String compiler;
    private final Map<Integer, KernelModule> loaded = new HashMap<>();
    /** Open updaters per device: the last one to close unloads the module and releases the primary context. */
    private final Map<Integer, Integer> users = new HashMap<>();
    private final int[] archs;

    private CudaEngine(Driver cu, List<GpuInfo> devices, Nvrtc nvrtc, String compiler) {
        this.cu = cu;
        this.devices = List.copyOf(devices);
        this.nvrtc = nvrtc;
        this.compiler = compiler;
        int[] a = new int[0];
        if (nvrtc != null) {
            try {
                a = nvrtc.supportedArchs();
            } catch (CudaException e) {
                // load() probed it already; a later failure leaves info without the verdict
            }
        }
        this.archs = a;
    }

    /** Loads and initializes the driver, lists the devices and finds NVRTC; or an unavailable engine saying why. */
    public static GpuEngine create() {
        Driver cu;
        try {
            cu = Driver.load();
        } catch (NativeLib.Missing e) {
            return Gpu.unavailable("no CUDA driver: " + e.getMessage());
        }
        List<GpuInfo> devices = new ArrayList<>();
        try {
            cu.init();
            for (int i = 0, n = cu.deviceCount(); i < n; i++) devices.add(cu.info(i));
        } catch (CudaException e) {
            return Gpu.unavailable("the CUDA driver (" + cu.libraryPath() + ") did not start: " + e.getMessage());
        }
        int version;
        try {
            version = cu.driverVersion();
        } catch (CudaException e) {
            return Gpu.unavailable("the CUDA driver (" + cu.libraryPath() + ") did not report its version: "
                    + e.getMessage());
        }
        CublasLibrary.driverVersion(version);
        Nvrtc nvrtc = null;
        String compiler;
        try {
            nvrtc = Nvrtc.load(version);
            compiler = "NVRTC " + nvrtc.version() + " (" + nvrtc.libraryPath() + ")"
                    + (nvrtc.passedOver().isEmpty() ? "" : "; passed over: " + String.join("; ", nvrtc.passedOver()));
        } catch (NativeLib.Missing | CudaException e) {
            compiler = "none: no NVRTC (" + e.getMessage() + "); install the CUDA toolkit's libnvrtc";
        }
        return new CudaEngine(cu, devices, nvrtc, compiler);
    }

    @Override public boolean available() { return true; }
    @Override public String unavailableReason() { return ""; }
    @Override public List<GpuInfo> devices() { return devices; }
    @Override public String compiler() { return compiler; }

    /** The driver library in use. */
    public String driverLibrary() { return cu.libraryPath(); }

    @Override public synchronized DeviceUpdater open(int ordinal, List<DeviceStore> stores,
            List<DeviceSegment> segments) {
        if (ordinal < 0 || ordinal >= devices.size()) {
            throw new IllegalArgumentException("device cuda:" + ordinal + " does not exist (the driver reports "
                    + devices.size() + ")");
        }
        if (nvrtc == null) {
            throw new IllegalStateException("cannot compile kernels for cuda:" + ordinal + ": " + compiler);
        }
        KernelModule k = loaded.computeIfAbsent(ordinal,
                o -> KernelModule.load(cu, nvrtc, devices.get(o), new KernelCache(KernelCache.defaultDir())));
        users.merge(ordinal, 1, Integer::sum);
        boolean[] released = new boolean[1];
        return new CudaUpdater(cu, k, stores, segments, () -> {
            if (released[0]) return;
            released[0] = true;
            release(ordinal, k);
        });
    }

    private synchronized void release(int ordinal, KernelModule k) {
        if (users.merge(ordinal, -1, Integer::sum) > 0) return;
        users.remove(ordinal);
        loaded.remove(ordinal, k);
        k.unload(cu);
    }

    @Override public int[] compilerArchs() { return archs.clone(); }

    @Override public String blas() { return CublasLibrary.describe(); }

    /** The compile target chosen for a device that has been opened, e.g. "sm_90 (cubin)". */
    public synchronized String target(int ordinal) {
        KernelModule k = loaded.get(ordinal);
        return k == null ? "not compiled yet" : k.target.arch()
                + (k.target.cubin() ? " (cubin)" : " (PTX, driver JIT)");
    }
}
