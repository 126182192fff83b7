package io.ndopt.device;

import io.ndopt.internal.cuda.CompileTarget;
import io.ndopt.internal.cuda.GpuPaths;
import io.ndopt.internal.device.DeviceSegment;
import io.ndopt.internal.device.Gpu;
import io.ndopt.internal.device.GpuEngine;
import io.ndopt.internal.kernel.KernelScalars;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.optim.DecayMode;
import io.ndopt.optim.GroupOptions;
import io.ndopt.optim.Rule;
import io.ndopt.optim.StepScalars;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GPU-free parts of the device API: parsing, launch scalars, target choice, info verdicts, engine loading. */
class DeviceApiTest {
    @Test void parsesDevicesAndNamesBadText() {
        assertEquals(Device.cpu(), Device.parse("cpu"));
        assertEquals(Device.cuda(0), Device.parse("cuda"));
        assertEquals(Device.cuda(3), Device.parse(" CUDA:3 "));
        assertEquals("cuda:3", Device.cuda(3).toString());
        for (String bad : List.of("gpu", "cuda:", "cuda:-1", "cuda:x", "cuda:1:2", "")) {
            var e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Device(Device.Kind.CPU, 1));
    }

    @Test void compileTargetPrefersMachineCodeAndFallsBackToPtx() {
        int[] archs = {120, 75, 80, 86, 89, 90, 100};
        assertEquals(new CompileTarget("sm_90", true), CompileTarget.choose(90, archs));
        assertEquals(new CompileTarget("compute_100", false), CompileTarget.choose(103, archs));
        var e = assertThrows(IllegalArgumentException.class, () -> CompileTarget.choose(70, archs));
        assertTrue(e.getMessage().contains("7.0"), e.getMessage());
        List<String> opts = CompileTarget.choose(90, archs).options();
        assertEquals("--gpu-architecture=sm_90", opts.get(0));
        assertTrue(opts.containsAll(List.of("--fmad=false", "--prec-div=true", "--prec-sqrt=true", "--ftz=false")));
    }

    @Test void nd4jCudaVerdictFollowsComputeCapabilityAndDriver() {
        GpuInfo h100 = new GpuInfo(0, "NVIDIA H100", 9, 0, 80L << 30, 132, 13000);
        GpuInfo l4 = new GpuInfo(1, "NVIDIA L4", 8, 9, 24L << 30, 58, 12020);
        GpuInfo old = new GpuInfo(2, "Tesla T4", 7, 5, 16L << 30, 40, 11040);
        assertTrue(GpuPaths.nd4jVerdict(h100, true).startsWith("no: compute capability 9.0 > 8.9"));
        assertEquals("yes (nd4j-cuda-11.6)", GpuPaths.nd4jVerdict(l4, true));
        assertTrue(GpuPaths.nd4jVerdict(old, true).contains("driver CUDA 11.4 < 11.6"));
        assertTrue(GpuPaths.nd4jVerdict(l4, false).contains("not on the classpath"));
        assertEquals("13.0", h100.driverCuda());
    }

    /** info's verdict: a cubin where the compiler knows the GPU, PTX JIT-compiled by the driver for a newer GPU, none for an older one. */
    @Test void infoSaysCubinOrPtxJitAndWhetherTheGpuIsSupported() {
        int[] archs = {75, 80, 86, 89, 90};
        GpuInfo h100 = new GpuInfo(0, "NVIDIA H100", 9, 0, 80L << 30, 132, 13000);
        GpuInfo b200 = new GpuInfo(1, "NVIDIA B200", 10, 0, 180L << 30, 148, 13000);
        GpuInfo p100 = new GpuInfo(2, "Tesla P100", 6, 0, 16L << 30, 56, 12020);
        assertEquals("yes: supported; fused kernels compiled to a cubin for sm_90 at first use (--device cuda:0)",
                GpuPaths.kernels(h100, archs));
        assertEquals("yes: supported; fused kernels compiled to PTX for compute_90, JIT-compiled by the driver for "
                + "sm_100 at load (the compiler has no sm_100) at first use (--device cuda:1)", GpuPaths.kernels(b200, archs));
        assertTrue(GpuPaths.kernels(p100, archs).startsWith("no: unsupported GPU: the GPU's compute capability 6.0 is "
                + "older than every architecture this NVRTC supports (7.5 and newer)"), GpuPaths.kernels(p100, archs));
    }

    @Test void engineLoaderSaysWhyItIsUnavailable() {
        GpuEngine old = Gpu.load(17, Gpu.IMPLEMENTATION);
        assertFalse(old.available());
        assertTrue(old.unavailableReason().contains("JDK 22"), old.unavailableReason());
        GpuEngine missing = Gpu.load(25, "io.ndopt.internal.cuda.NoSuchEngine");
        assertTrue(missing.unavailableReason().contains("no GPU engine"), missing.unavailableReason());
        var e = assertThrows(IllegalStateException.class, () -> missing.open(0, List.of(), List.of()));
        assertTrue(e.getMessage().contains("cuda:0"), e.getMessage());
        List<String> lines = GpuPaths.describe(old, false);
        assertTrue(lines.get(0).startsWith("gpus          : none found (the GPU engine needs JDK 22"),
                lines.toString());
    }

    @Test void segmentsRejectEmptyRanges() {
        assertEquals(5, new DeviceSegment(0, 3, 8).length());
        assertThrows(IllegalArgumentException.class, () -> new DeviceSegment(0, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new DeviceSegment(-1, 0, 3));
    }
}
