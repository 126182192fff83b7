package io.ndopt.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The only place that knows which ND4J backend is on the classpath: its kind, devices, BLAS,
 * threads and default dtype, and the global settings ndopt applies (default dtype, seed).
 */
public final class Backend {
    private Backend() {}

    /**
     * The live backend as {@code ndopt info} and run headers print it. Which ndopt paths run on it
     * (fused CPU kernels, GPU engine) is for those paths to say; the reporters ask them.
     */
    public record Info(String backend, List<String> devices, String blasVendor, int threads, String defaultDtype,
                       String ndoptVersion, String nd4jVersion, String blasKernels) {}

    /** Whether the live backend is ND4J's CPU backend (BLAS, fused kernels and group prox ask here). */
    public static boolean isCpu() {
        return Nd4j.getBackend().getClass().getSimpleName().toLowerCase().contains("cpu");
    }

    public static Info info() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String kind = String.valueOf(env.getOrDefault("backend", isCpu() ? "CPU" : "CUDA"));
        List<String> devices = new ArrayList<>();
        if (isCpu()) {
            devices.add("cpu: " + env.getOrDefault("cores", Runtime.getRuntime().availableProcessors()) + " cores, "
                    + System.getProperty("os.arch"));
        } else {
            int n = Nd4j.getAffinityManager().getNumberOfDevices();
            for (int i = 0; i < n; i++) devices.add("cuda:" + i);
        }
        int threads = Integer.parseInt(String.valueOf(env.getOrDefault("omp.threads",
                Runtime.getRuntime().availableProcessors())));
        String blas = String.valueOf(env.getOrDefault("blas.vendor", "unknown"));
        String version = Backend.class.getPackage().getImplementationVersion();
        return new Info(kind, devices, blas, threads, Nd4j.defaultFloatingPointType().toString().toLowerCase(),
                version == null ? "dev" : version, "1.0.0-M2.1",
                Blas.kernels(false) + "; threads " + Threads.describe());
    }

    /** Sets ND4J's default floating-point type (used when ndopt creates arrays without an explicit dtype). */
    public static void setDefaultDtype(Precision p) {
        Nd4j.setDefaultDataTypes(p.dtype(), p.dtype());
    }

    public static void seed(long seed) { Nd4j.getRandom().setSeed(seed); }
}
