package io.ndopt.internal.cli;

import io.ndopt.backend.Backend;
import io.ndopt.backend.Blas;
import io.ndopt.backend.Threads;
import io.ndopt.internal.device.Gpu;
import io.ndopt.internal.cuda.GpuPaths;
import io.ndopt.internal.kernel.FusedKernels;
import picocli.CommandLine.Command;

/**
 * Prints the live backend, devices, BLAS vendor, threads, default dtype and versions (from
 * {@link Backend}), and which ndopt paths run on it: the fused CPU kernels ({@link FusedKernels})
 * and the GPU paths ({@link GpuPaths}).
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the live ND4J backend, the GPUs and which GPU paths can run, and the ndopt version.")
final class InfoCommand implements Runnable {
    @Override public void run() {
        Backend.Info i = Backend.info();
        System.out.println("ndopt version : " + i.ndoptVersion());
        System.out.println("nd4j version  : " + i.nd4jVersion());
        System.out.println("backend       : " + i.backend());
        System.out.println("devices       : " + String.join("; ", i.devices()));
        System.out.println("blas vendor   : " + i.blasVendor());
        System.out.println("blas kernels  : " + Blas.kernels(true) + "; threads " + Threads.describe());
        System.out.println("threads       : " + i.threads());
        System.out.println("default dtype : " + i.defaultDtype());
        System.out.println("fused path    : " + (FusedKernels.available() ? "on (" : "off (")
                + FusedKernels.status() + ")");
        GpuPaths.describe(Gpu.engine(), !Backend.isCpu()).forEach(System.out::println);
    }
}
