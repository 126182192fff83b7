package io.ndopt.internal.cuda;

import io.ndopt.device.GpuInfo;
import io.ndopt.internal.device.GpuEngine;

import java.util.ArrayList;
import java.util.List;

/**
 * Which GPU paths can run on this machine and why, for {@code ndopt info}: ndopt's own CUDA engine
 * (any GPU the driver and NVRTC support; JDK 22+), and ND4J's CUDA backend, whose latest release
 * ({@code nd4j-cuda-11.6} 1.0.0-M2.1) ships machine code for sm_37 to sm_86 and no PTX, so it needs
 * compute capability ≤ 8.9 (8.9 runs sm_86 code) and a driver for CUDA 11.6 or newer.
 */
public final class GpuPaths {
    /** The highest compute capability ND4J's CUDA backend has code for (sm_86 binaries also run on 8.9). */
    public static final int ND4J_MAX_CC = 89;
    /** CUDA 11.6, as a driver version number. */
    public static final int ND4J_MIN_DRIVER = 11060;

    private GpuPaths() {}

    /** The {@code info} lines: one per device, then one per path. */
    public static List<String> describe(GpuEngine engine, boolean nd4jCudaOnClasspath) {
        List<String> lines = new ArrayList<>();
        if (!engine.available()) {
            lines.add("gpus          : none found (" + engine.unavailableReason() + ")");
            lines.add("gpu path ndopt: unavailable: " + engine.unavailableReason());
            lines.add("gpu path nd4j : " + (nd4jCudaOnClasspath ? "backend on the classpath"
                    : "not on the classpath (build profile 'cuda')")
                    + "; needs CUDA 11.6 and compute capability <= 8.9");
            return lines;
        }
        List<GpuInfo> gpus = engine.devices();
        if (gpus.isEmpty()) lines.add("gpus          : the driver reports no CUDA device");
        for (GpuInfo g : gpus) lines.add("gpu           : " + g.describe());
        String compiler = engine.compiler();
        boolean canCompile = !compiler.startsWith("none");
        lines.add("gpu compiler  : " + compiler);
        for (GpuInfo g : gpus) {
            lines.add("gpu path ndopt: cuda:" + g.ordinal() + " "
                    + (canCompile ? kernels(g, engine.compilerArchs()) : "no: kernels cannot be compiled without NVRTC"));
        }
        lines.add("gpu blas      : " + engine.blas()
                + (engine.blas().startsWith("none") ? " (networks run on the CPU; optimizers still step on the GPU)" : ""));
        for (GpuInfo g : gpus) {
            lines.add("gpu path nd4j : cuda:" + g.ordinal() + " " + nd4jVerdict(g, nd4jCudaOnClasspath));
        }
        return lines;
    }

    /**
     * Whether ndopt's kernels run on {@code g} and how: machine code (a cubin for {@code sm_XY}, when the compiler
     * knows the architecture), PTX the driver compiles at load time (a GPU newer than the compiler), or not at all
     * (older than every architecture the compiler supports).
     */
    public static String kernels(GpuInfo g, int[] archs) {
        if (archs.length == 0) return "yes: kernels compiled at first use (the compiler's architectures are unknown)";
        CompileTarget t;
        try {
            t = CompileTarget.choose(g.computeCapability(), archs);
        } catch (IllegalArgumentException e) {
            return "no: unsupported GPU: " + e.getMessage();
        }
        return "yes: supported; fused kernels " + (t.cubin() ? "compiled to a cubin for " + t.arch()
                : "compiled to PTX for " + t.arch() + ", JIT-compiled by the driver for sm_" + g.computeCapability()
                + " at load (the compiler has no sm_" + g.computeCapability() + ")")
                + " at first use (--device cuda:" + g.ordinal() + ")";
    }

    /** Whether ND4J's CUDA backend could run on {@code g}, and why not. */
    public static String nd4jVerdict(GpuInfo g, boolean onClasspath) {
        List<String> why = new ArrayList<>();
        if (g.computeCapability() > ND4J_MAX_CC) {
            why.add("compute capability " + g.major() + "." + g.minor()
                    + " > 8.9 (nd4j-cuda-11.6 has code for sm_37..sm_86 and no PTX)");
        }
        if (g.driverVersion() < ND4J_MIN_DRIVER) why.add("driver CUDA " + g.driverCuda() + " < 11.6");
        if (!onClasspath) why.add("backend not on the classpath (build profile 'cuda' with a CUDA 11.6 toolkit)");
        return why.isEmpty() ? "yes (nd4j-cuda-11.6)" : "no: " + String.join("; ", why);
    }
}
