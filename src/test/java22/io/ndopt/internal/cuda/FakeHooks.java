package io.ndopt.internal.cuda;

import io.ndopt.internal.device.FakeCuda;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The stand-in's test hooks ({@code fakeCount}, {@code fakeFailFrees}, {@code fakeSetDriverVersion},
 * {@code fakeBreak} in {@code src/test/native/fakecuda.cpp}), called on the same loaded library the engine uses
 * (the same path opens the same copy), and a broken copy of the library: a separate file, so a separate copy with
 * its own state, which loads and binds but whose {@code nvrtcVersion} and {@code cublasCreate_v2} fail.
 */
final class FakeHooks {
    /** {@code fakeCount} subjects. */
    static final int ALLOCATIONS = 0, MODULES = 1, CONTEXT_REFS = 2, BLAS_HANDLES = 3, GRAPHS = 4, STREAMS = 5,
            COPIES_HTOD = 6, COPIES_DTOH = 7;
    private static Path broken;

    private FakeHooks() {}

    private static MethodHandle fn(Path so, String name, FunctionDescriptor d) {
        SymbolLookup lookup = SymbolLookup.libraryLookup(so, Arena.global());
        return Linker.nativeLinker().downcallHandle(lookup.find(name).orElseThrow(), d);
    }

    private static Object call(Path so, String name, FunctionDescriptor d, Object... args) {
        try {
            return fn(so, name, d).invokeWithArguments(args);
        } catch (Throwable t) {
            throw new IllegalStateException(name + ": " + t, t);
        }
    }

    static long count(int what) {
        return (long) call(FakeCuda.library(), "fakeCount", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT), what);
    }

    static long[] counts() {
        long[] c = new long[8];
        for (int i = 0; i < c.length; i++) c[i] = count(i);
        return c;
    }

    static void failFrees(int n) {
        call(FakeCuda.library(), "fakeFailFrees", FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT), n);
    }

    static void driverVersion(int v) {
        call(FakeCuda.library(), "fakeSetDriverVersion", FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT), v);
    }

    /** A copy of the stand-in whose NVRTC and cuBLAS fail to start (made and broken once per JVM). */
    static synchronized Path broken() {
        if (broken != null) return broken;
        try {
            Path dir = Files.createDirectories(FakeCuda.library().getParent().resolve("broken"));
            Path copy = dir.resolve("libfakecuda-broken-" + ProcessHandle.current().pid() + ".so");
            Files.copy(FakeCuda.library(), copy, StandardCopyOption.REPLACE_EXISTING);
            copy.toFile().deleteOnExit();
            call(copy, "fakeBreak", FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT), 1);
            broken = copy.toAbsolutePath();
            return broken;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
