package io.ndopt.internal.cuda;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded shared library and the method handles of one binding table ({@link Cu} or {@link Rtc}).
 * The library is found by trying candidate names in order: sonames first (the dynamic loader's own
 * search: ld.so.cache, LD_LIBRARY_PATH), then absolute paths where drivers and toolkits install.
 */
final class NativeLib<E extends Enum<E> & NativeFn> {
    /** The library could not be found or lacks a function; the message lists what was tried. */
    static final class Missing extends Exception {
        Missing(String message) { super(message); }
    }

    private final String path;
    private final Map<E, MethodHandle> handles;

    private NativeLib(String path, Map<E, MethodHandle> handles) {
        this.path = path;
        this.handles = handles;
    }

    /** Loads the first candidate that opens and binds every row of {@code table}. */
    static <E extends Enum<E> & NativeFn> NativeLib<E> load(Class<E> table, List<String> candidates) throws Missing {
        List<String> failures = new ArrayList<>();
        for (String name : candidates) {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException | IllegalCallerException e) {
                continue;                                   // not installed under this name
            }
            Map<E, MethodHandle> handles = new EnumMap<>(table);
            List<String> absent = new ArrayList<>();
            for (E fn : table.getEnumConstants()) {
                Optional<MemorySegment> address = find(lookup, fn);
                if (address.isEmpty()) absent.add(String.join("|", fn.symbols()));
                else handles.put(fn, Linker.nativeLinker().downcallHandle(address.get(), fn.descriptor()));
            }
            if (absent.isEmpty()) return new NativeLib<>(name, handles);
            failures.add(name + " lacks " + absent);
        }
        throw new Missing(failures.isEmpty() ? "none of " + candidates + " could be loaded"
                : String.join("; ", failures));
    }

    /**
     * Loads the candidates in order and returns the first that binds every row of {@code table} and passes
     * {@code probe} (the library's own initialization, e.g. reading its version or creating a handle: a library
     * that opens but cannot start, as a CUDA 13 library under a CUDA 12 driver, is passed over). The failures of
     * the candidates before it are in {@link Probed#passedOver}; none passing throws {@link Missing} listing each.
     */
    static <E extends Enum<E> & NativeFn, T> Probed<E, T> loadFirst(Class<E> table, List<String> candidates,
            java.util.function.Function<NativeLib<E>, T> probe) throws Missing {
        List<String> failures = new ArrayList<>();
        for (String name : candidates) {
            NativeLib<E> lib;
            try {
                lib = load(table, List.of(name));
            } catch (Missing e) {
                if (!e.getMessage().startsWith("none of")) failures.add(e.getMessage());
                continue;
            }
            try {
                return new Probed<>(lib, probe.apply(lib), List.copyOf(failures));
            } catch (RuntimeException e) {
                failures.add(name + " did not start: " + e.getMessage());
            }
        }
        throw new Missing(failures.isEmpty() ? "none of " + candidates + " could be loaded"
                : String.join("; ", failures));
    }

    /** A library that loaded and passed its probe, the probe's result, and why earlier candidates were passed over. */
    record Probed<E extends Enum<E> & NativeFn, T>(NativeLib<E> lib, T probe, List<String> passedOver) {}

    /**
     * {@code sonames} reordered for a driver of CUDA major version {@code driverMajor}: the names of that major
     * ({@code .so.12} for a 12.x driver) first, then the other versioned names newest first, then the unversioned
     * ones. A toolkit newer than the driver cannot run on it (its PTX and cubins need the newer driver), so the
     * matching major is tried first and the others are fallbacks.
     */
    static List<String> byDriver(List<String> sonames, int driverMajor) {
        List<String> sorted = new ArrayList<>(sonames);
        sorted.sort(Comparator.comparingInt((String s) -> {
            int v = major(s);
            return v == driverMajor ? 0 : v > 0 ? 1 : 2;
        }).thenComparing(Comparator.comparingInt((String s) -> major(s)).reversed()));
        return sorted;
    }

    /** The major version in a soname ({@code libnvrtc.so.12} is 12), or 0 when it has none. */
    static int major(String soname) {
        int i = soname.lastIndexOf(".so.");
        if (i < 0) return 0;
        String v = soname.substring(i + 4);
        int dot = v.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The candidates a {@code -Dndopt.cuda.*} property names: one path, or several separated by
     * {@code File.pathSeparator}, tried in order; null when the property is unset or blank.
     */
    static List<String> named(String property) {
        String chosen = System.getProperty(property);
        if (chosen == null || chosen.isBlank()) return null;
        return Arrays.stream(chosen.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    }

    private static Optional<MemorySegment> find(SymbolLookup lookup, NativeFn fn) {
        for (String s : fn.symbols()) {
            Optional<MemorySegment> a = lookup.find(s);
            if (a.isPresent()) return a;
        }
        return Optional.empty();
    }

    /**
     * {@code sonames} (the loader's own search first), then each of them in the toolkit folders
     * ({@code /usr/local/cuda*}/lib64 and targets/*), the {@code cuda} link first, then newest folder first.
     */
    static List<String> toolkit(List<String> sonames) {
        List<String> names = new ArrayList<>(sonames);
        List<File> roots = new ArrayList<>();
        File[] local = new File("/usr/local").listFiles((d, n) -> n.equals("cuda") || n.startsWith("cuda-"));
        if (local != null) roots.addAll(Arrays.asList(local));
        roots.sort(Comparator.comparing(File::getName).reversed());
        roots.sort(Comparator.comparing((File f) -> !f.getName().equals("cuda")));   // the 'cuda' link first
        for (File root : roots) {
            for (String lib : List.of("lib64", "targets/x86_64-linux/lib", "targets/sbsa-linux/lib")) {
                for (String so : sonames) {
                    File f = new File(root, lib + "/" + so);
                    if (f.isFile()) names.add(f.getPath());
                }
            }
        }
        return names;
    }

    /** The name the library was opened under. */
    String path() { return path; }

    /** Calls {@code fn} with boxed arguments (int, long, byte or MemorySegment, as its descriptor says). */
    Object invoke(E fn, Object... args) {
        try {
            return handles.get(fn).invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(fn.symbol() + ": " + t, t);
        }
    }

    /** Calls a function that returns a status code. */
    int status(E fn, Object... args) { return (int) invoke(fn, args); }
}
