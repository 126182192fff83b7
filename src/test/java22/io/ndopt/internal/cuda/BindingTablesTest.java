package io.ndopt.internal.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every row of the binding tables ({@link Cu}, {@link Cublas}, {@link Rtc}) against its C prototype in the
 * CUDA toolkit's headers, where they are installed (each table skipped otherwise): the same number of
 * parameters, each passed with a layout of its C type's size and class — pointers and handles as addresses
 * (a device matrix may be a 64-bit {@code SIZE}), {@code size_t}/{@code CUdeviceptr} as 64-bit, enums and
 * {@code int} as 32-bit, {@code unsigned char} as a byte. A macro such as {@code #define cuMemAlloc cuMemAlloc_v2}
 * maps a versioned symbol to the declared name.
 */
class BindingTablesTest {
    @Test void driverTableMatchesCudaH() throws IOException { check(Cu.values(), header("cuda.h")); }

    @Test void cublasTableMatchesCublasApiH() throws IOException { check(Cublas.values(), header("cublas_api.h")); }

    @Test void nvrtcTableMatchesNvrtcH() throws IOException { check(Rtc.values(), header("nvrtc.h")); }

    /** The typed mapping itself, on prototypes written here: wrong arity and wrong classes are caught. */
    @Test void mismatchesAreReported() {
        String text = "cublasStatus_t CUBLASWINAPI cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode);\n";
        assertEquals("", mismatch(Cublas.SET_MATH_MODE, text));
        assertTrue(mismatch(Cublas.SET_STREAM, text.replace("cublasSetMathMode", "cublasSetStream_v2"))
                .contains("parameter 2"));
        assertTrue(mismatch(Cublas.SET_MATH_MODE, "cublasStatus_t cublasSetMathMode(cublasHandle_t handle);")
                .contains("1 parameters"));
    }

    private static Optional<String> header(String name) throws IOException {
        List<Path> roots = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/usr/local"))) {
            s.filter(p -> p.getFileName().toString().startsWith("cuda")).sorted().forEach(roots::add);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path root : roots) {
            for (String dir : List.of("include", "targets/x86_64-linux/include", "targets/sbsa-linux/include")) {
                Path h = root.resolve(dir).resolve(name);
                if (Files.isRegularFile(h)) return Optional.of(Files.readString(h));
            }
        }
        return Optional.empty();
    }

    private static void check(NativeFn[] table, Optional<String> header) {
        assumeTrue(header.isPresent(), "header not installed (CUDA toolkit headers under /usr/local/cuda*)");
        List<String> bad = new ArrayList<>();
        for (NativeFn fn : table) {
            String m = mismatch(fn, header.get());
            if (!m.isEmpty()) bad.add(m);
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    /** "" when some declaration of {@code fn} in {@code text} matches its descriptor, else what differs. */
    static String mismatch(NativeFn fn, String text) {
        String symbol = fn.symbol();
        Matcher define = Pattern.compile("#define\\s+(\\w+)\\s+" + symbol + "\\b").matcher(text);
        String declared = define.find() ? define.group(1) : symbol;
        // a declaration starts on a line that is not a comment: "CUresult CUDAAPI cuMemAlloc(...);"
        Matcher decl = Pattern.compile("(?m)^[ \\t]*(?![*/])[^\\n(;]*\\b" + declared + "\\s*\\(([^;{)]*)\\)\\s*;")
                .matcher(text);
        List<String> why = new ArrayList<>();
        while (decl.find()) {
            String params = decl.group(1).replaceAll("/\\*.*?\\*/", "").trim();
            List<String> types = params.isEmpty() || params.equals("void") ? List.of()
                    : List.of(params.split(","));
            List<MemoryLayout> expected = fn.descriptor().argumentLayouts();
            if (types.size() != expected.size()) {
                why.add(declared + " has " + types.size() + " parameters, the table " + expected.size());
                continue;
            }
            String differs = "";
            for (int i = 0; i < types.size() && differs.isEmpty(); i++) {
                if (!fits(types.get(i).trim(), expected.get(i))) {
                    differs = declared + " parameter " + (i + 1) + " '" + types.get(i).trim() + "' is not " + expected.get(i);
                }
            }
            if (differs.isEmpty()) return "";
            why.add(differs);
        }
        return why.isEmpty() ? symbol + ": no declaration of " + declared : symbol + ": " + String.join("; ", why);
    }

    private static final Pattern HANDLE = Pattern.compile(
            "\\b(CUcontext|CUstream|CUevent|CUmodule|CUfunction|CUgraph|CUgraphExec|cublasHandle_t|cudaStream_t|nvrtcProgram)\\b");

    private static boolean fits(String param, MemoryLayout layout) {
        if (param.contains("*") || param.contains("[") || HANDLE.matcher(param).find()) {
            return layout.equals(ValueLayout.ADDRESS) || layout.equals(ValueLayout.JAVA_LONG) && param.contains("*");
        }
        if (param.matches(".*\\b(size_t|CUdeviceptr|unsigned long long)\\b.*")) return layout.equals(ValueLayout.JAVA_LONG);
        if (param.matches(".*\\bunsigned char\\b.*")) return layout.equals(ValueLayout.JAVA_BYTE);
        if (param.matches(".*\\b(float|double|long)\\b.*")) return false;
        return layout.equals(ValueLayout.JAVA_INT);                            // int, unsigned int, enums, CUdevice
    }
}
