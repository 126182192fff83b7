package io.ndopt.internal.device;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The stand-in CUDA driver, NVRTC and cuBLAS ({@code src/test/native/fakecuda.cpp}) for tests on
 * machines without a GPU: built with g++ at most once per JVM (and only when a source is newer than
 * the library in {@code target/fakecuda}), then installed as the engine's libraries. Use from any test:
 * <pre>{@code
 * @BeforeAll static void gpu() { FakeCuda.install(); }   // skips the class (JUnit assumption) with the reason
 * @AfterAll static void back() { FakeCuda.restore(); }
 * }</pre>
 * after which {@code Gpu.engine()} is the CUDA engine over the stand-in, with one device {@code cuda:0}.
 */
public final class FakeCuda {
    private static final Path DIR = Path.of("target", "fakecuda");
    private static final Path SOURCE = Path.of("src/test/native/fakecuda.cpp");
    private static final Path KERNELS = Path.of("src/main/resources/io/ndopt/internal/cuda");
    private static Path lib;
    private static String failure;

    private FakeCuda() {}

    /**
     * Builds (once) and installs the stand-in: sets {@code ndopt.cuda.driver}, {@code ndopt.cuda.nvrtc},
     * {@code ndopt.cuda.cublas} and {@code ndopt.kernel.cache} and reloads the engine. Skips the calling
     * test (assumption) on JDK &lt; 22 or without g++; a failed build fails it with g++'s output.
     */
    public static void install() {
        assumeTrue(Runtime.version().feature() >= 22,
                "the CUDA engine needs JDK 22+; this is JDK " + Runtime.version().feature());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/g++")), "g++ not installed: stand-in driver not built");
        Path so = library();
        System.setProperty("ndopt.cuda.driver", so.toString());
        System.setProperty("ndopt.cuda.nvrtc", so.toString());
        System.setProperty("ndopt.cuda.cublas", so.toString());
        System.setProperty("ndopt.kernel.cache", DIR.resolve("cache").toAbsolutePath().toString());
        Gpu.reload();
        assumeTrue(Gpu.engine().available(), "engine unavailable: " + Gpu.engine().unavailableReason());
    }

    /** Clears the properties {@link #install} set and reloads the engine (the machine's own libraries again). */
    public static void restore() {
        for (String p : List.of("ndopt.cuda.driver", "ndopt.cuda.nvrtc", "ndopt.cuda.cublas", "ndopt.kernel.cache")) {
            System.clearProperty(p);
        }
        Gpu.reload();
    }

    /** The built library (absolute path); builds it on the first call of this JVM. */
    public static synchronized Path library() {
        if (failure != null) throw new IllegalStateException(failure);
        if (lib != null) return lib;
        try {
            Files.createDirectories(DIR);
            Path so = DIR.resolve("libfakecuda.so").toAbsolutePath();
            if (!Files.exists(so) || newestSource().compareTo(Files.getLastModifiedTime(so)) > 0) build(so);
            lib = so;
            return lib;
        } catch (IOException | InterruptedException | RuntimeException e) {
            failure = "building the stand-in CUDA library failed: " + e.getMessage();
            throw new IllegalStateException(failure, e);
        }
    }

    private static FileTime newestSource() throws IOException {
        List<Path> sources = new ArrayList<>(List.of(SOURCE));
        try (Stream<Path> s = Files.list(KERNELS)) {
            s.forEach(sources::add);
        }
        FileTime newest = FileTime.fromMillis(0);
        for (Path p : sources) {
            FileTime t = Files.getLastModifiedTime(p);
            if (t.compareTo(newest) > 0) newest = t;
        }
        return newest;
    }

    private static void build(Path so) throws IOException, InterruptedException {
        Path tmp = so.resolveSibling("libfakecuda.so.tmp");
        Process p = new ProcessBuilder("/usr/bin/g++", "-std=c++20", "-O1", "-ffp-contract=off", "-fno-fast-math",
                "-shared", "-fPIC", "-I", KERNELS.toString(), SOURCE.toString(), "-o", tmp.toString(), "-lpthread")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("g++ took more than 300 s");
        }
        if (p.exitValue() != 0) throw new IllegalStateException("g++ failed:\n" + out);
        Files.move(tmp, so, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
