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
