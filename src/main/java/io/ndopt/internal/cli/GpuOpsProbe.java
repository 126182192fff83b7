package io.ndopt.internal.cli;

import io.ndopt.internal.gpusuite.DeviceOpsProbe;

/** Entry point of the GPU network-operation checks and one timed MLP step: {@code [ordinal [dims...]]}. */
public final class GpuOpsProbe {
    private GpuOpsProbe() {}

    public static void main(String[] args) { DeviceOpsProbe.run(args); }
}
