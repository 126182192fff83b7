package io.ndopt.internal.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which cuBLAS the engine uses: the first candidate that loads, binds every {@link Cublas} row and creates a
 * handle (so a library that opens but cannot start under this driver is passed over for the next). The sonames
 * of the driver's CUDA major version come first ({@link NativeLib#byDriver}); {@code -Dndopt.cuda.cublas=PATH[:PATH...]}
 * names the candidates instead. Once one has started it is used for every later handle of this JVM.
 */
final class CublasLibrary {
    /** Where cuBLAS is looked for (reordered for the driver), unless the property names it. */
    static final List<String> SONAMES = List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so");
    /** The driver's version ({@code cuDriverGetVersion}), set when the engine starts. */
    private static volatile int driverVersion = 13000;
    private static final Map<List<String>, NativeLib<Cublas>> STARTED = new HashMap<>();

    private CublasLibrary() {}

    /** A library and a handle it created on the current context. */
    record Created(NativeLib<Cublas> lib, MemorySegment handle) {}

    static void driverVersion(int version) { driverVersion = version; }

    /** The candidates: the property's paths, else the sonames for this driver and the toolkit folders. */
    static List<String> candidates() {
        List<String> named = NativeLib.named("ndopt.cuda.cublas");
        return named != null ? named : NativeLib.toolkit(NativeLib.byDriver(SONAMES, driverVersion / 1000));
    }

    /**
     * A new handle on the current context, from the library that started before or else the first candidate that
     * starts; none starting is an {@link IllegalStateException} naming each candidate's failure.
     */
    static synchronized Created create() {
        List<String> candidates = candidates();
        NativeLib<Cublas> lib = STARTED.get(candidates);
        if (lib != null) return new Created(lib, handle(lib));
        try {
            var probed = NativeLib.loadFirst(Cublas.class, candidates, CublasLibrary::handle);
            STARTED.put(candidates, probed.lib());
            return new Created(probed.lib(), probed.probe());
        } catch (NativeLib.Missing e) {
            throw new IllegalStateException(missing(e.getMessage()), e);
        }
    }

    /** The one-line reason the network cannot use cuBLAS. */
    static String missing(String detail) {
        return "cuBLAS is needed for the network's matrix products on the GPU and none started: " + detail
                + "; install the CUDA toolkit's libcublas (12 or 13) or name it with -Dndopt.cuda.cublas=PATH";
    }

    /**
     * For {@code info}: the library that would be used (loaded and bound, no handle created: that needs a
     * context), or the one-line reason there is none.
     */
    static String describe() {
        try {
            return NativeLib.loadFirst(Cublas.class, candidates(), lib -> lib).lib().path();
        } catch (NativeLib.Missing e) {
            return "none: " + missing(e.getMessage());
        }
    }

    private static MemorySegment handle(NativeLib<Cublas> lib) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            int status = lib.status(Cublas.CREATE, out);
            if (status != 0) {
                throw new CudaException(Cublas.CREATE.symbol(), status, Cublas.statusName(status), null,
                        "creating a handle with " + lib.path());
            }
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }
}
