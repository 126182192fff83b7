package io.ndopt.internal.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What NVRTC compiles for a device: machine code ({@code sm_XY}, a cubin the driver loads as is)
 * when NVRTC knows the device's architecture, else PTX for the newest architecture it knows below
 * the device ({@code compute_XY}, compiled by the driver at load time), so a newer GPU than the
 * NVRTC still runs. The options make float arithmetic round exactly as the JVM's: no FMA
 * contraction, IEEE division and square root, no flush of denormals.
 *
 * @param arch  "sm_90" or "compute_90"
 * @param cubin whether the result is machine code (else PTX)
 */
public record CompileTarget(String arch, boolean cubin) {
    /** The options that fix the arithmetic, besides the architecture. */
    public static final List<String> EXACT_MATH =
            List.of("--fmad=false", "--prec-div=true", "--prec-sqrt=true", "--ftz=false", "--std=c++17");

    public CompileTarget {
        if (arch == null || !arch.matches((cubin ? "sm" : "compute") + "_\\d{2,3}[a-z]?")) {
            throw new IllegalArgumentException("compile target '" + arch + "' is not "
                    + (cubin ? "sm_XY" : "compute_XY"));
        }
    }

    /**
     * Chooses the target for compute capability {@code cc} (10·major + minor) given the
     * architectures NVRTC supports ({@code nvrtcGetSupportedArchs}, e.g. 75, 80, ..., 120).
     */
    public static CompileTarget choose(int cc, int[] supported) {
        if (cc < 10) throw new IllegalArgumentException("compute capability " + cc + " is not 10*major+minor");
        int[] s = supported.clone();
        Arrays.sort(s);
        if (s.length == 0) throw new IllegalArgumentException("NVRTC reports no supported architectures");
        if (Arrays.binarySearch(s, cc) >= 0) return new CompileTarget("sm_" + cc, true);
        for (int i = s.length - 1; i >= 0; i--) {
            if (s[i] < cc) return new CompileTarget("compute_" + s[i], false);
        }
        throw new IllegalArgumentException("the GPU's compute capability " + cc / 10 + "." + cc % 10
                + " is older than every architecture this NVRTC supports (" + s[0] / 10 + "." + s[0] % 10
                + " and newer)");
    }

    /** The full NVRTC option list. */
    public List<String> options() {
        var all = new ArrayList<String>();
        all.add("--gpu-architecture=" + arch);
        all.addAll(EXACT_MATH);
        return List.copyOf(all);
    }
}
