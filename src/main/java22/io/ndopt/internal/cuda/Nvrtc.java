package io.ndopt.internal.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * NVRTC through its C API ({@link Rtc}): compiles CUDA C to a cubin or PTX for one architecture.
 * A failed compile throws a {@link CudaException} whose message carries the compiler log.
 */
final class Nvrtc {
    /** The NVRTC sonames, newest major first (reordered by {@link NativeLib#byDriver} for the driver in use). */
    static final List<String> SONAMES = List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so");

    private final NativeLib<Rtc> lib;
    private final List<String> passedOver;

    private Nvrtc(NativeLib<Rtc> lib, List<String> passedOver) {
        this.lib = lib;
        this.passedOver = passedOver;
    }

    /**
     * The first NVRTC that loads and starts (reads its version and architectures): the one of the driver's CUDA
     * major version ({@code driverVersion}, as {@code cuDriverGetVersion} gives it) first, the other majors after;
     * {@code -Dndopt.cuda.nvrtc=PATH[:PATH...]} names the candidates instead of the search.
     */
    static Nvrtc load(int driverVersion) throws NativeLib.Missing {
        List<String> named = NativeLib.named("ndopt.cuda.nvrtc");
        var probed = NativeLib.loadFirst(Rtc.class, named != null ? named : candidates(driverVersion / 1000), lib -> {
            Nvrtc n = new Nvrtc(lib, List.of());
            n.version();
            n.supportedArchs();
            return n;
        });
        return new Nvrtc(probed.lib(), probed.passedOver());
    }

    /** Sonames for a driver of CUDA {@code driverMajor}, then the toolkit folders ({@link NativeLib#toolkit}). */
    static List<String> candidates(int driverMajor) {
        return NativeLib.toolkit(NativeLib.byDriver(SONAMES, driverMajor));
    }

    /** Why candidates tried before this one were passed over (empty when the first one started). */
    List<String> passedOver() { return passedOver; }

    String libraryPath() { return lib.path(); }

    private void check(int rc, Rtc fn, String context) {
        if (rc == 0) return;
        MemorySegment text = (MemorySegment) lib.invoke(Rtc.GET_ERROR_STRING, rc);
        String s = text.equals(MemorySegment.NULL) ? null : text.reinterpret(4096).getString(0);
        throw new CudaException(fn.symbol(), rc, s, null, context);
    }

    private void call(Rtc fn, String context, Object... args) { check(lib.status(fn, args), fn, context); }

    /** "major.minor" of this NVRTC. */
    String version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(ValueLayout.JAVA_INT), minor = a.allocate(ValueLayout.JAVA_INT);
            call(Rtc.VERSION, "reading the NVRTC version", major, minor);
            return major.get(ValueLayout.JAVA_INT, 0) + "." + minor.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Compute capabilities this NVRTC can emit machine code for (e.g. 75 ... 120). */
    int[] supportedArchs() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(ValueLayout.JAVA_INT);
            call(Rtc.GET_NUM_SUPPORTED_ARCHS, "counting NVRTC architectures", n);
            int count = n.get(ValueLayout.JAVA_INT, 0);
            MemorySegment archs = a.allocate(ValueLayout.JAVA_INT, Math.max(1, count));
            call(Rtc.GET_SUPPORTED_ARCHS, "listing NVRTC architectures", archs);
            return archs.asSlice(0, 4L * count).toArray(ValueLayout.JAVA_INT);
        }
    }

    /** Compiles {@code source} (named {@code name} in messages) to a cubin ({@code cubin}) or PTX. */
    byte[] compile(String source, String name, List<String> options, boolean cubin) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment progOut = a.allocate(ValueLayout.ADDRESS);
            call(Rtc.CREATE_PROGRAM, "creating program " + name, progOut, a.allocateFrom(source),
                    a.allocateFrom(name), 0,
                    MemorySegment.NULL, MemorySegment.NULL);
            MemorySegment prog = progOut.get(ValueLayout.ADDRESS, 0);
            try {
                MemorySegment opts = a.allocate(ValueLayout.ADDRESS, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) {
                    opts.setAtIndex(ValueLayout.ADDRESS, i, a.allocateFrom(options.get(i)));
                }
                int rc = lib.status(Rtc.COMPILE_PROGRAM, prog, options.size(), opts);
                if (rc != 0) {
                    check(rc, Rtc.COMPILE_PROGRAM, "compiling " + name + " with " + options + ":\n" + log(a, prog));
                }
                Rtc sizeFn = cubin ? Rtc.GET_CUBIN_SIZE : Rtc.GET_PTX_SIZE, getFn = cubin ? Rtc.GET_CUBIN : Rtc.GET_PTX;
                MemorySegment size = a.allocate(ValueLayout.JAVA_LONG);
                call(sizeFn, "sizing the output of " + name, prog, size);
                MemorySegment out = a.allocate(size.get(ValueLayout.JAVA_LONG, 0));
                call(getFn, "reading the output of " + name, prog, out);
                byte[] bytes = out.toArray(ValueLayout.JAVA_BYTE);
                // PTX comes NUL-terminated; the module loader adds its own terminator
                return !cubin && bytes.length > 0 && bytes[bytes.length - 1] == 0
                        ? Arrays.copyOf(bytes, bytes.length - 1) : bytes;
            } finally {
                lib.status(Rtc.DESTROY_PROGRAM, progOut);
            }
        }
    }

    private String log(Arena a, MemorySegment prog) {
        MemorySegment size = a.allocate(ValueLayout.JAVA_LONG);
        if (lib.status(Rtc.GET_PROGRAM_LOG_SIZE, prog, size) != 0) return "(no log)";
        MemorySegment text = a.allocate(Math.max(1, size.get(ValueLayout.JAVA_LONG, 0)));
        if (lib.status(Rtc.GET_PROGRAM_LOG, prog, text) != 0) return "(no log)";
        return text.getString(0, StandardCharsets.UTF_8);
    }
}
