package io.ndopt.internal.cuda;

import io.ndopt.device.GpuInfo;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel module loaded in one device's primary context: compiled by NVRTC for the device's
 * architecture (or read from the {@link KernelCache}), with every entry point of
 * {@link KernelSource#ENTRY_POINTS} and how many blocks of {@link #BLOCK} threads each can keep
 * resident per multiprocessor (to size grid-stride launches to one full wave).
 */
final class KernelModule {
    static final int BLOCK = 256;

    final GpuInfo device;
    final MemorySegment context;
    final CompileTarget target;
    private MemorySegment module;
    private final Map<String, MemorySegment> functions = new HashMap<>();
    private final Map<String, Integer> residentBlocks = new HashMap<>();

    private KernelModule(GpuInfo device, MemorySegment context, CompileTarget target) {
        this.device = device;
        this.context = context;
        this.target = target;
    }

    /**
     * Retains the device's primary context, compiles (or reads from the cache) and loads the module; on any failure
     * what was acquired is released again before the exception propagates.
     */
    static KernelModule load(Driver cu, Nvrtc nvrtc, GpuInfo device, KernelCache cache) {
        MemorySegment ctx = cu.retainPrimaryContext(device.ordinal());
        KernelModule k = null;
        try {
            cu.setCurrent(ctx);
            CompileTarget target = CompileTarget.choose(device.computeCapability(), nvrtc.supportedArchs());
            String source = KernelSource.program();
            List<String> options = target.options();
            String key = KernelCache.key(source, options, target.arch(), "nvrtc " + nvrtc.version());
            byte[] image = cache.getOrCompile(key,
                    () -> nvrtc.compile(source, "ndopt_kernels.cu", options, target.cubin()));
            k = new KernelModule(device, ctx, target);
            k.module = cu.loadModule(image);
            for (String name : KernelSource.ENTRY_POINTS) {
                MemorySegment f = cu.function(k.module, name);
                k.functions.put(name, f);
                k.residentBlocks.put(name, Math.max(1, cu.maxActiveBlocks(f, BLOCK, name)));
            }
            return k;
        } catch (RuntimeException e) {
            KernelModule loaded = k;
            Closer c = new Closer();
            c.run(() -> { throw e; });
            c.run(() -> {
                if (loaded != null) loaded.unload(cu);
                else cu.releasePrimaryContext(device.ordinal());
            });
            c.rethrow();
            throw e;
        }
    }

    /**
     * Unloads the module and releases the primary context (the last user's {@code close}); both are attempted, the
     * first failure thrown with the second suppressed.
     */
    void unload(Driver cu) {
        Closer c = new Closer();
        MemorySegment m = module;
        module = null;
        if (m != null) {
            c.run(() -> cu.setCurrent(context));
            c.run(() -> cu.unload(m));
        }
        c.run(() -> cu.releasePrimaryContext(device.ordinal()));
        c.rethrow();
    }

    MemorySegment function(String name) {
        MemorySegment f = functions.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no kernel '" + name + "' in the module (have "
                    + functions.keySet() + ")");
        }
        return f;
    }

    /** Blocks for a grid-stride launch over {@code work} items of one thread each: at most one full wave. */
    int grid(String name, long work) {
        long needed = (work + BLOCK - 1) / BLOCK;
        long wave = (long) residentBlocks.get(name) * device.multiprocessors();
        return (int) Math.max(1, Math.min(needed, wave));
    }
}
