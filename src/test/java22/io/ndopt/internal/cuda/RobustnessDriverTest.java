package io.ndopt.internal.cuda;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.device.Device;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceParams;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.internal.device.Gpu;
import io.ndopt.internal.nn.DeviceModel;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.train.TrainResult;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The engine's robustness over the stand-in ({@link FakeHooks}): libraries chosen by the driver's CUDA version and
 * passed over when they do not start, the network on the CPU without cuBLAS, and {@code close()} releasing every
 * resource even when frees fail, reporting the first failure with the rest suppressed.
 */
class RobustnessDriverTest {
    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    @BeforeEach @AfterEach void clean() {
        FakeHooks.failFrees(0);
        FakeHooks.driverVersion(13000);
        FakeCuda.install();                             // the stand-in's own paths again, a fresh engine
    }

    private static Sequential mlp() {
        return Sequential.mlp(2, new int[] {6}, 1, Activation.TANH, Activation.IDENTITY, DataType.DOUBLE, 5);
    }

    @Test void theDriversMajorVersionComesFirst() {
        assertEquals(List.of("libnvrtc.so.12", "libnvrtc.so.13", "libnvrtc.so"), NativeLib.byDriver(Nvrtc.SONAMES, 12));
        assertEquals(List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"), NativeLib.byDriver(Nvrtc.SONAMES, 13));
        assertEquals(List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so"),
                NativeLib.byDriver(CublasLibrary.SONAMES, 11));
        assertEquals("libcublas.so.12", NativeLib.byDriver(CublasLibrary.SONAMES, 12).get(0));
        assertEquals(12, NativeLib.major("/usr/local/cuda/lib64/libnvrtc.so.12.8.61"));
        assertEquals(0, NativeLib.major("libnvrtc.so"));
        assertEquals("libnvrtc.so.12", Nvrtc.candidates(12).get(0));
    }

    /** The engine reads cuDriverGetVersion and orders cuBLAS's sonames by it (the stand-in reports 12.8, then 13.0). */
    @Test void theDriverVersionOrdersTheSonames() {
        System.clearProperty("ndopt.cuda.cublas");
        FakeHooks.driverVersion(12080);
        Gpu.reload();
        assertTrue(Gpu.engine().available());
        assertEquals("libcublas.so.12", CublasLibrary.candidates().get(0));
        FakeHooks.driverVersion(13000);
        Gpu.reload();
        assertTrue(Gpu.engine().available());
        assertEquals("libcublas.so.13", CublasLibrary.candidates().get(0));
    }

    @Test void nvrtcPassesOverCandidatesThatDoNotLoadOrStart() {
        String fake = FakeCuda.library().toString(), broken = FakeHooks.broken().toString();
        System.setProperty("ndopt.cuda.nvrtc", String.join(File.pathSeparator, "/nonexistent/libnvrtc.so.13", broken,
                fake));
        Gpu.reload();
        String compiler = Gpu.engine().compiler();
        assertTrue(compiler.startsWith("NVRTC 13.0 (" + fake + ")"), compiler);
        assertTrue(compiler.contains("passed over: " + broken + " did not start"), compiler);
        Sequential m = mlp();
        try (Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(m.params())) {
            m.params().forEach(p -> p.setGrad(p.value().dup()));
            assertTrue(o.step());
        }
    }

    @Test void noNvrtcStartingIsAnEngineWithoutACompiler() {
        System.setProperty("ndopt.cuda.nvrtc", FakeHooks.broken().toString());
        Gpu.reload();
        assertTrue(Gpu.engine().compiler().startsWith("none: no NVRTC (" + FakeHooks.broken() + " did not start"),
                Gpu.engine().compiler());
    }

    @Test void cublasPassesOverACandidateThatDoesNotStart() {
        System.setProperty("ndopt.cuda.cublas", FakeHooks.broken() + File.pathSeparator + FakeCuda.library());
        Gpu.reload();
        Sequential m = mlp();
        try (Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(m.params())) {
            assertNull(DeviceModel.problem(m, DeviceParams.of(o), 8));
            long passes = DeviceModel.passes();
            Dataset d = Synthetic.moons(16, 0.1, 0, 3, DataType.DOUBLE);
            new Trainer(m, Loss.BCE_WITH_LOGITS, o, TrainerOptions.defaults().withEpochs(1).withBatchSize(8)).fit(d, null);
            assertEquals(passes + 2, DeviceModel.passes(), "two batches on the device");
        }
    }

    /** Without cuBLAS (our call, documented in the README): one line saying why, the network on the CPU. */
    @Test void withoutCublasTheNetworkRunsOnTheCpu() {
        System.setProperty("ndopt.cuda.cublas", "/nonexistent/libcublas.so.13");
        Gpu.reload();
        Sequential m = mlp();
        try (Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(m.params())) {
            String why = DeviceModel.problem(m, DeviceParams.of(o), 8);
            assertNotNull(why);
            assertTrue(why.startsWith("cuBLAS is needed for the network's matrix products on the GPU and none started"),
                    why);
            assertFalse(why.contains("\n"), why);
            long passes = DeviceModel.passes();
            Dataset d = Synthetic.moons(16, 0.1, 0, 3, DataType.DOUBLE);
            TrainResult r = new Trainer(m, Loss.BCE_WITH_LOGITS, o, TrainerOptions.defaults().withEpochs(1)
                    .withBatchSize(8)).fit(d, null);
            assertEquals(2, r.steps());
            assertEquals(passes, DeviceModel.passes(), "the network ran on the CPU");
        }
        assertTrue(GpuPaths.describe(Gpu.engine(), false).stream()
                .anyMatch(l -> l.startsWith("gpu blas      : none: cuBLAS is needed")), "info names the reason");
    }

    /** Ops with an allocation and a graph, then a close: every object the engine created is gone afterwards. */
    @Test void closeReleasesEverything() {
        Gpu.reload();
        long[] before = FakeHooks.counts();
        Optimizer o = openWithOpsAndGraph();
        long[] during = FakeHooks.counts();
        assertEquals(before[FakeHooks.MODULES] + 1, during[FakeHooks.MODULES]);
        assertEquals(before[FakeHooks.CONTEXT_REFS] + 1, during[FakeHooks.CONTEXT_REFS]);
        assertEquals(before[FakeHooks.BLAS_HANDLES] + 1, during[FakeHooks.BLAS_HANDLES]);
        assertEquals(before[FakeHooks.GRAPHS] + 1, during[FakeHooks.GRAPHS]);
        o.close();
        long[] after = FakeHooks.counts();
        for (int i = FakeHooks.ALLOCATIONS; i <= FakeHooks.STREAMS; i++) assertEquals(before[i], after[i], "count " + i);
    }

    /**
     * Two frees fail: close() still releases the rest (module, context, handle, graph, stream), throws the first
     * failure and carries the second as suppressed.
     */
    @Test void closeReportsTheFirstFailureWithTheRestSuppressed() {
        Gpu.reload();
        long[] before = FakeHooks.counts();
        Optimizer o = openWithOpsAndGraph();
        FakeHooks.failFrees(2);
        CudaException e = assertThrows(CudaException.class, o::close);
        assertTrue(e.getMessage().contains("cuMemFree"), e.getMessage());
        assertEquals(1, e.getSuppressed().length, "the second failed free");
        assertTrue(e.getSuppressed()[0].getMessage().contains("cuMemFree"));
        long[] after = FakeHooks.counts();
        assertEquals(before[FakeHooks.ALLOCATIONS] + 2, after[FakeHooks.ALLOCATIONS], "only the two failed frees");
        for (int i = FakeHooks.MODULES; i <= FakeHooks.STREAMS; i++) assertEquals(before[i], after[i], "count " + i);
        o.close();                                      // closed already: nothing more to report
    }

    private static Optimizer openWithOpsAndGraph() {
        Sequential m = mlp();
        Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(m.params());
        DeviceOps ops = DeviceParams.of(o).ops();
        long a = ops.alloc(64, "a"), b = ops.alloc(64, "b");
        ops.beginCapture();
        ops.copy(b, a, 64);
        ops.endCapture();                               // left for close() to destroy
        return o;
    }
}
