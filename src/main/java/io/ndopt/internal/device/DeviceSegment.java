package io.ndopt.internal.device;

import io.ndopt.internal.kernel.KernelScalars;

/**
 * A range {@code [from, to)} of one {@link DeviceStore} that one kernel launch updates with one set
 * of {@link KernelScalars} (the CPU plan's segment, addressed by offsets).
 */
public record DeviceSegment(int store, long from, long to) {
    public DeviceSegment {
        if (store < 0 || from < 0 || to <= from) {
            throw new IllegalArgumentException("device segment: store " + store + " range [" + from + ", " + to
                    + ") is empty or negative");
        }
    }

    public long length() { return to - from; }
}
