package io.ndopt.internal.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kernel source assembly, the disk cache keys, and (where nvcc is installed) that the sources compile for sm_90. */
class KernelSourceTest {
    @Test void programInlinesEachHeaderOnceAndDefinesEveryEntryPoint() {
        String p = KernelSource.program();
        assertFalse(p.contains("#include \""), "our headers are inlined");
        assertFalse(p.contains("#pragma once"));
        assertEquals(p.indexOf("struct __align__(16) Pack"), p.lastIndexOf("struct __align__(16) Pack"),
                "common.cuh once");
        assertTrue(p.contains("#line 1 \"common.cuh\"") && p.contains("#line 1 \"optim.cu\"")
                && p.contains("#line 1 \"reduce.cu\"") && p.contains("#line 1 \"nn.cu\""));
        assertTrue(p.contains("NDOPT_NN_KERNELS(float, f32)") && p.contains("NDOPT_NN_KERNELS(double, f64)"));
        assertEquals(p.indexOf("double blockSum("), p.lastIndexOf("double blockSum("), "one block reduction");
        assertTrue(p.contains("NDOPT_OPTIM_KERNELS(float, f32)") && p.contains("NDOPT_OPTIM_KERNELS(double, f64)"));
        for (String k : List.of("sumsq_f32", "sumsq_f64", "sum_partials", "mean_partials")) {
            assertTrue(p.contains("void " + k + "("), k);
        }
        assertThrows(IllegalArgumentException.class, () -> KernelSource.read("../secret.cu"));
        assertThrows(IllegalArgumentException.class, () -> KernelSource.read("absent.cu"));
    }

    @Test void cacheKeyChangesWithEveryInputAndFilesAreReused(@TempDir Path dir) {
        String k = KernelCache.key("src", List.of("--fmad=false"), "sm_90", "nvrtc 13.0");
        assertEquals(64, k.length());
        assertEquals(k, KernelCache.key("src", List.of("--fmad=false"), "sm_90", "nvrtc 13.0"));
        assertNotEquals(k, KernelCache.key("src ", List.of("--fmad=false"), "sm_90", "nvrtc 13.0"));
        assertNotEquals(k, KernelCache.key("src", List.of("--fmad=true"), "sm_90", "nvrtc 13.0"));
        assertNotEquals(k, KernelCache.key("src", List.of("--fmad=false"), "sm_89", "nvrtc 13.0"));
        assertNotEquals(k, KernelCache.key("src", List.of("--fmad=false"), "sm_90", "nvrtc 13.1"));
        assertNotEquals(KernelCache.key("ab", List.of("c"), "d", "e"), KernelCache.key("a", List.of("bc"), "d", "e"));
        KernelCache cache = new KernelCache(dir);
        int[] compiles = {0};
        byte[] first = cache.getOrCompile(k, () -> { compiles[0]++; return new byte[] {1, 2, 3}; });
        byte[] second = cache.getOrCompile(k, () -> { compiles[0]++; return new byte[] {9}; });
        assertArrayEquals(first, second);
        assertEquals(1, compiles[0]);
        assertThrows(IllegalArgumentException.class, () -> cache.file("../x"));
    }

    /**
     * Every source compiles to PTX for compute_90 with the engine's exact-math options, and ptxas accepts it for sm_90.
     */
    @Test void sourcesCompileWithNvccForHopper(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("nvcc"), "nvcc not installed: CUDA sources not compiled");
        Path src = dir.resolve("ndopt_kernels.cu");
        Files.writeString(src, KernelSource.program());
        Path ptx = dir.resolve("k.ptx");
        run(List.of("nvcc", "-ptx", "-arch=compute_90", "-fmad=false", "-prec-div=true", "-prec-sqrt=true",
                "-ftz=false", "-std=c++17",
                src.toString(), "-o", ptx.toString()));
        String text = Files.readString(ptx);
        for (String k : KernelSource.ENTRY_POINTS) assertTrue(text.contains(".entry " + k + "("), k);
        Map<String, String> body = entries(text);
        for (var e : body.entrySet()) {
            // CUDA's float math functions (expf, tanhf, logf, log1pf) use fma themselves: only the kernels without
            // them must show that nothing of ours was contracted
            if (MATH_F32.contains(e.getKey())) continue;
            assertFalse(e.getValue().contains("fma.rn.f32"), e.getKey() + ": no float FMA contraction");
        }
        for (String k : List.of("bias_act_f32", "act_backward_f32", "multiply_f32", "to_bf16", "to_f16", "scale_f32",
                "unscale_check_f32")) {
            assertFalse(body.get(k).contains(".f64"), k + ": a float32 element-wise kernel computes in float");
        }
        for (String k : List.of("bias_softmax_f32", "loss_bce_f32", "loss_softmax_ce_f32")) {
            assertFalse(body.get(k).contains("fma.rn.f64"), k + ": no double exp/log (only double sums)");
        }
        if (onPath("ptxas")) {
            run(List.of("ptxas", "-arch=sm_90", ptx.toString(), "-o", dir.resolve("k.cubin").toString()));
        }
    }

    /** float32 kernels that call CUDA's float math functions. */
    private static final List<String> MATH_F32 = List.of("bias_act_f32", "bias_softmax_f32", "loss_bce_f32",
            "loss_softmax_ce_f32");

    /** Each entry point's PTX, by name. */
    private static Map<String, String> entries(String ptx) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String[] parts = ptx.split("(?=\\.visible \\.entry )");
        for (int i = 1; i < parts.length; i++) {
            String name = parts[i].substring(".visible .entry ".length(), parts[i].indexOf('('));
            out.put(name, parts[i]);
        }
        return out;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) if (Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timeout: " + cmd);
        assertEquals(0, p.exitValue(), cmd + " failed:\n" + out);
    }
}
