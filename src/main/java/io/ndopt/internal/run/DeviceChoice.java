package io.ndopt.internal.run;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.device.Device;
import io.ndopt.internal.device.Gpu;
import io.ndopt.device.GpuInfo;

/**
 * The device a run trains on ({@code device} in {@link Keys}), checked before any work: a device
 * this machine cannot use (no CUDA driver, a JVM older than 22, {@code cuda:7} on a one-GPU machine)
 * is a usage error naming the device, where it was given and why ({@link Gpu#whyNot}). {@code cpu}
 * always works.
 */
public final class DeviceChoice {
    private DeviceChoice() {}

    /** The run's device, once it is known to be usable here. */
    public static Device require(RunRequest s) {
        return require(s.device(), s.where().getOrDefault(Keys.DEVICE, "device"));
    }

    /** {@code d} if this machine can use it; {@code where} names its source in the error (a flag, a file line). */
    public static Device require(Device d, String where) {
        String why = Gpu.whyNot(d);
        if (why.isEmpty()) return d;
        throw new ConfigException(where + ": device " + d + " cannot be used here: " + why
                + (where.startsWith("checkpoint") ? "; checkpoints are device-independent, so pass --device cpu "
                        + "(or another device) to resume there" : ""));
    }

    /**
     * One line for run headers and metrics: {@code cpu}, or the GPU as the driver reports it
     * ({@code cuda:0 NVIDIA H200, compute capability 9.0, 139.8 GiB, 132 SMs, driver CUDA 13.0}).
     */
    public static String describe(Device d) {
        if (!d.isCuda()) return d.toString();
        for (GpuInfo g : Gpu.engine().devices()) if (g.ordinal() == d.ordinal()) return g.describe();
        return d + " (" + (Gpu.whyNot(d).isEmpty() ? "not reported by the driver" : Gpu.whyNot(d)) + ")";
    }
}
