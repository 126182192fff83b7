package io.ndopt.backend;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How the CPU's cores are split between ND4J's own (OpenMP) workers and OpenBLAS's threads.
 *
 * <p>Both pools busy-wait between jobs. With ND4J at its default (one worker per core) and OpenBLAS
 * on every core, a dense-network step spent half its samples in libgomp's spin loop on a 2-core
 * machine. ndopt's network path runs its element-wise passes in Java and its products in OpenBLAS,
 * so ND4J's pool gets 1 thread and OpenBLAS every core. Measured on an idle 2-core machine
 * (784-256-256-10, batch 128, MlpTrainBench in one run): 1.77 ms/step with 2 BLAS threads, 2.69 ms with 1.
 * On a machine shared with other busy processes a BLAS thread that waits for a core stalls the whole
 * product (2.6–24 ms with 2 threads vs 2.3–3.4 ms with 1 under load average ~20): there, pass
 * {@code --threads 1} or {@code apply(new Split(1, 1))}. {@link #recommended()} is the idle-machine split;
 * {@link #ensureConfigured()} applies it once, the first time a network trains, unless the caller
 * chose a split with {@link #apply} first (CLI: {@code --threads}).
 */
public final class Threads {
    /**
     * The most threads either pool may get. Neither library refuses more: ND4J's OpenMP pool crashed the JVM
     * (SIGSEGV) at its first operation with 99999 threads, and OpenBLAS silently takes at most the thread count it
     * was compiled for. 1024 is above the logical CPUs of today's largest servers, so a configuration stays valid on
     * any machine (more threads than cores only slows both spinning pools down).
     */
    public static final int MAX = 1024;

    /** ND4J (OpenMP) threads and OpenBLAS threads, each in {@code [1, }{@value #MAX}{@code ]}. */
    public record Split(int nd4j, int blas) {
        public Split {
            check("ND4J", nd4j);
            check("BLAS", blas);
        }

        private static void check(String pool, int n) {
            if (n < 1 || n > MAX) {
                throw new IllegalArgumentException("threads: " + pool + " thread count must be between 1 and " + MAX
                        + " (this machine has " + Runtime.getRuntime().availableProcessors() + " logical CPUs), got "
                        + n);
            }
        }

        /** {@code "B"} (BLAS threads, ND4J on 1) or {@code "B,N"} (BLAS, ND4J), as the CLI's --threads takes it. */
        public static Split parse(String s) {
            String[] p = s.trim().split(",");
            try {
                if (p.length == 1) return new Split(1, Integer.parseInt(p[0].trim()));
                if (p.length == 2) return new Split(Integer.parseInt(p[1].trim()), Integer.parseInt(p[0].trim()));
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new IllegalArgumentException("--threads must be BLAS or BLAS,ND4J thread counts like 2 or 2,1, got '"
                    + s + "'");
        }
    }

    private static Split current;

    private Threads() {}

    /** ND4J on 1 thread, OpenBLAS on every available core. */
    public static Split recommended() {
        return new Split(1, Runtime.getRuntime().availableProcessors());
    }

    /** Applies {@code s} to ND4J and OpenBLAS (process-wide) and remembers it. No-op off the CPU backend. */
    public static synchronized void apply(Split s) {
        if (Backend.isCpu()) {
            // Environment.setMaxThreads is a no-op in libnd4j M2.1; the OpenMP pool size is set through NativeOps
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(s.nd4j());
            Nd4j.getEnvironment().setMaxMasterThreads(s.nd4j());
            openblas_nolapack.blas_set_num_threads(s.blas());
        }
        current = s;
    }

    /** Applies {@link #recommended()} unless a split was already applied in this process. */
    public static synchronized void ensureConfigured() {
        if (current == null) apply(recommended());
    }

    /** The split applied so far, or null if ndopt has not changed the backend's defaults. */
    public static synchronized Split current() { return current; }

    /** What the live pools report now: {@code "BLAS b, ND4J n"}. */
    public static String describe() {
        if (!Backend.isCpu()) return "not a CPU backend";
        return "BLAS " + openblas_nolapack.blas_get_num_threads() + ", ND4J "
                + NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()
                + (current == null ? " (backend defaults)" : "");
    }
}
