package io.ndopt.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in CUDA driver and NVRTC ({@code src/test/native/fakecuda.cpp}, built with g++) selected
 * through {@code -Dndopt.cuda.driver}/{@code -Dndopt.cuda.nvrtc}, as {@link FakeDriverTest}
 * does it; one GPU {@code cuda:0}, "device" memory in host memory, ndopt's real kernels compiled for
 * the host. A minimal copy of that test's build step, to be replaced by the shared test utility.
 * Slow where a kernel synchronizes (the Σg² reduction runs one host thread per CUDA thread): keep
 * the runs that use it to a few hundred steps.
 */
public final class FakeGpu {
    private FakeGpu() {}

    /** Builds and selects the stand-in driver; skips the calling test where it cannot run (JDK < 22, no g++). */
    public static void install() throws Exception {
        assumeTrue(Runtime.version().feature() >= 22,
                "the CUDA engine needs JDK 22+; this is JDK " + Runtime.version().feature());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/g++")), "g++ not installed: stand-in driver not built");
        Path dir = Path.of("target", "fakecuda-cli");
        Files.createDirectories(dir);
        Path lib = dir.resolve("libfakecuda.so").toAbsolutePath();
        Process p = new ProcessBuilder("/usr/bin/g++", "-std=c++20", "-O1", "-ffp-contract=off", "-fno-fast-math",
                "-shared", "-fPIC", "-I", "src/main/resources/io/ndopt/cuda", "src/test/native/fakecuda.cpp",
                "-o", lib.toString(), "-lpthread").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "g++ failed:\n" + out);
        System.setProperty("ndopt.cuda.driver", lib.toString());
        System.setProperty("ndopt.cuda.nvrtc", lib.toString());
        System.setProperty("ndopt.kernel.cache", dir.resolve("cache").toAbsolutePath().toString());
        Gpu.reload();
        assumeTrue(Gpu.engine().available(), "engine unavailable: " + Gpu.engine().unavailableReason());
    }

    public static void uninstall() {
        System.clearProperty("ndopt.cuda.driver");
        System.clearProperty("ndopt.cuda.nvrtc");
        System.clearProperty("ndopt.kernel.cache");
        Gpu.reload();
    }
}
