package io.ndopt.internal.device;

import io.ndopt.device.Device;
import io.ndopt.device.GpuInfo;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * Finds ndopt's GPU engine at run time. The engine ({@value #IMPLEMENTATION}) is compiled for JDK 22+
 * and is loaded by name only on such a JVM, so this JDK 17 code never links to it; on any other
 * JVM, or without a CUDA driver, {@link #engine()} returns an engine that says why.
 */
public final class Gpu {
    public static final String IMPLEMENTATION = "io.ndopt.internal.cuda.CudaEngine";
    private static GpuEngine engine;

    private Gpu() {}

    /** The engine of this JVM (loaded once). */
    public static synchronized GpuEngine engine() {
        if (engine == null) engine = load(Runtime.version().feature(), IMPLEMENTATION);
        return engine;
    }

    /**
     * Forgets the loaded engine so the next {@link #engine()} loads again, re-reading
     * {@code -Dndopt.cuda.driver} / {@code -Dndopt.cuda.nvrtc} (tests; a host that gained a driver).
     */
    public static synchronized void reload() { engine = null; }

    public static GpuEngine load(int jdkFeature, String implementation) {
        if (jdkFeature < 22) {
            return unavailable("the GPU engine needs JDK 22 or newer (FFM API); this JVM is JDK " + jdkFeature);
        }
        try {
            Class<?> c = Class.forName(implementation);
            return (GpuEngine) c.getMethod("create").invoke(null);
        } catch (ClassNotFoundException e) {
            return unavailable("this build has no GPU engine (" + implementation
                    + " is compiled only when the build runs on JDK 22+)");
        } catch (InvocationTargetException e) {
            return unavailable("the GPU engine failed to start: " + e.getCause());
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return unavailable("the GPU engine could not be loaded: " + e);
        }
    }

    /** An engine that can do nothing and says why. */
    public static GpuEngine unavailable(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an unavailable engine needs a reason");
        }
        return new GpuEngine() {
            @Override public boolean available() { return false; }
            @Override public String unavailableReason() { return reason; }
            @Override public List<GpuInfo> devices() { return List.of(); }
            @Override public String compiler() { return "none (" + reason + ")"; }
            @Override public DeviceUpdater open(int ordinal, List<DeviceStore> stores, List<DeviceSegment> segments) {
                throw new IllegalStateException("cannot use cuda:" + ordinal + ": " + reason);
            }
        };
    }

    /** Why {@code device} cannot be used here, or empty if it can. */
    public static String whyNot(Device device) {
        if (!device.isCuda()) return "";
        GpuEngine e = engine();
        if (!e.available()) return e.unavailableReason();
        int n = e.devices().size();
        if (device.ordinal() >= n) {
            return "device " + device + " does not exist (the driver reports " + n + " CUDA device"
                    + (n == 1 ? "" : "s") + ")";
        }
        return "";
    }
}
