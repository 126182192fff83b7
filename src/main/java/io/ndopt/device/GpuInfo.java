package io.ndopt.device;

import java.util.Locale;

/**
 * One CUDA device as the driver reports it.
 *
 * @param ordinal       device ordinal ({@code cuda:N})
 * @param name          product name, e.g. "NVIDIA H100 80GB HBM3"
 * @param major         compute capability, major (9 for Hopper)
 * @param minor         compute capability, minor
 * @param totalBytes    device memory
 * @param multiprocessors streaming multiprocessors (sizes the grids)
 * @param driverVersion the driver's CUDA version as {@code 1000·major + 10·minor} (13000 for CUDA 13.0)
 */
public record GpuInfo(int ordinal, String name, int major, int minor, long totalBytes, int multiprocessors,
        int driverVersion) {
    public GpuInfo {
        if (ordinal < 0 || major < 1 || minor < 0 || totalBytes < 0 || multiprocessors < 1 || driverVersion < 0) {
            throw new IllegalArgumentException("implausible device report: ordinal=" + ordinal + " cc="
                    + major + "." + minor + " bytes=" + totalBytes + " SMs=" + multiprocessors + " driver="
                    + driverVersion);
        }
        if (name == null || name.isBlank()) throw new IllegalArgumentException("device " + ordinal + ": empty name");
    }

    /** Compute capability as an integer, {@code 10·major + minor} (90 for sm_90). */
    public int computeCapability() { return 10 * major + minor; }

    /** The driver's CUDA version as text, e.g. "13.0". */
    public String driverCuda() { return (driverVersion / 1000) + "." + (driverVersion % 1000) / 10; }

    /** One line for {@code info}. */
    public String describe() {
        return String.format(Locale.ROOT, "cuda:%d %s, compute capability %d.%d, %.1f GiB, %d SMs, driver CUDA %s",
                ordinal, name, major, minor, totalBytes / (double) (1L << 30), multiprocessors, driverCuda());
    }
}
