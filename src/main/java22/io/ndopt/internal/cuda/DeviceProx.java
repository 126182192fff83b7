package io.ndopt.internal.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Launches of the structured-prox kernels ({@code prox.cu}) on one updater's stream: per-weight L1 factors and the
 * group soft threshold over strided (rows, columns) or indexed groups. Pointers are device addresses of a store's
 * values and of constants the updater uploaded once; offsets count elements of the store.
 */
final class DeviceProx {
    /** Groups per launch at most (one block each, grid-stride beyond). */
    private static final int MAX_GROUP_BLOCKS = 65_535;

    private final Driver cu;
    private final KernelModule k;

    DeviceProx(Driver cu, KernelModule k) {
        this.cu = cu;
        this.k = k;
    }

    private static String suffix(int width) { return width == 4 ? "_f32" : "_f64"; }

    void l1Factors(MemorySegment stream, int width, long values, long from, long length, long factors, double t) {
        if (length <= 0 || t <= 0) return;
        String name = "prox_l1_factors" + suffix(width);
        try (Arena a = Arena.ofConfined()) {
            cu.launch(k.function(name), name, k.grid(name, length), KernelModule.BLOCK, stream,
                    new LaunchArgs(a).pointer(values + from * width).pointer(factors).i64(length).f64(t));
        }
    }

    void groupStrided(MemorySegment stream, int width, long values, long base, int groups, long groupStride, long size,
                      long elemStride, long coefs, double t) {
        if (groups <= 0 || t <= 0) return;
        String name = "group_shrink_strided" + suffix(width);
        try (Arena a = Arena.ofConfined()) {
            cu.launch(k.function(name), name, Math.min(groups, MAX_GROUP_BLOCKS), KernelModule.BLOCK, stream,
                    new LaunchArgs(a).pointer(values).i64(base).i32(groups).i64(groupStride).i64(size).i64(elemStride)
                            .pointer(coefs).f64(t));
        }
    }

    void groupIndexed(MemorySegment stream, int width, long values, long members, long starts, int groups, long coefs,
                      double t) {
        if (groups <= 0 || t <= 0) return;
        String name = "group_shrink_indexed" + suffix(width);
        try (Arena a = Arena.ofConfined()) {
            cu.launch(k.function(name), name, Math.min(groups, MAX_GROUP_BLOCKS), KernelModule.BLOCK, stream,
                    new LaunchArgs(a).pointer(values).pointer(members).pointer(starts).i32(groups).pointer(coefs)
                            .f64(t));
        }
    }
}
