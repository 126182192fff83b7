package io.ndopt.internal.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code void** kernelParams} of {@code cuLaunchKernel}: one slot of native memory per kernel
 * argument, holding its value with the argument's C type, and an array of pointers to the slots,
 * in the kernel's parameter order. Device pointers are 64-bit, as {@code T*} is in a kernel.
 */
final class LaunchArgs {
    private final Arena arena;
    private final List<MemorySegment> slots = new ArrayList<>();

    LaunchArgs(Arena arena) { this.arena = arena; }

    LaunchArgs pointer(long devicePointer) { return add(ValueLayout.JAVA_LONG, devicePointer); }
    LaunchArgs i64(long v) { return add(ValueLayout.JAVA_LONG, v); }

    LaunchArgs i32(int v) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_INT);
        s.set(ValueLayout.JAVA_INT, 0, v);
        slots.add(s);
        return this;
    }

    LaunchArgs f32(float v) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT);
        s.set(ValueLayout.JAVA_FLOAT, 0, v);
        slots.add(s);
        return this;
    }

    LaunchArgs f64(double v) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_DOUBLE);
        s.set(ValueLayout.JAVA_DOUBLE, 0, v);
        slots.add(s);
        return this;
    }

    private LaunchArgs add(ValueLayout.OfLong layout, long v) {
        MemorySegment s = arena.allocate(layout);
        s.set(layout, 0, v);
        slots.add(s);
        return this;
    }

    int count() { return slots.size(); }

    /** The array of slot addresses to pass as {@code kernelParams}. */
    MemorySegment pointers() {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, Math.max(1, slots.size()));
        for (int i = 0; i < slots.size(); i++) array.setAtIndex(ValueLayout.ADDRESS, i, slots.get(i));
        return array;
    }
}
