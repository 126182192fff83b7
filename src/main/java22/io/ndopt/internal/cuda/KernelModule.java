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
    private final Map<String, MemorySegment> functions = new HashMap<>();
    private final Map<String, Integer> residentBlocks = new HashMap<>();

    private KernelModule(GpuInfo device, MemorySegment context, CompileTarget target) {
        this.device = device;
        this.context = context;
        this.target = target;
    }

    static KernelModule load(Driver cu, Nvrtc nvrtc, GpuInfo device, KernelCache cache) {
        MemorySegment ctx = cu.retainPrimaryContext(device.ordinal());
        cu.setCurrent(ctx);
        CompileTarget target = CompileTarget.choose(device.computeCapability(), nvrtc.supportedArchs());
        String source = KernelSource.program();
        List<String> options = target.options();
        String key = KernelCache.key(source, options, target.arch(), "nvrtc " + nvrtc.version());
        byte[] image = cache.getOrCompile(key,
                () -> nvrtc.compile(source, "ndopt_kernels.cu", options, target.cubin()));
        MemorySegment module = cu.loadModule(image);
        KernelModule k = new KernelModule(device, ctx, target);
        for (String name : KernelSource.ENTRY_POINTS) {
            MemorySegment f = cu.function(module, name);
            k.functions.put(name, f);
            k.residentBlocks.put(name, Math.max(1, cu.maxActiveBlocks(f, BLOCK, name)));
        }
        return k;
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
