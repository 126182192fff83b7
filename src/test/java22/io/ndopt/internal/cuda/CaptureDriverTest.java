package io.ndopt.internal.cuda;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.internal.device.FakeCuda;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The driver's capture calls ({@link Driver}) over the stand-in: a device copy under capture is recorded,
 * not run, and runs at each graph launch; allocation and synchronization under capture fail with
 * {@code CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED} (as a real driver's do), so a refusal missing in
 * {@link CudaOps} would not go unnoticed.
 */
class CaptureDriverTest {
    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    @Test void copiesAreRecordedAndMemoryCallsRefusedUnderCapture() throws Exception {
        Driver cu = Driver.load();
        cu.init();
        cu.setCurrent(cu.retainPrimaryContext(0));
        MemorySegment stream = cu.createStream();
        long src = cu.alloc(8, "src"), dst = cu.alloc(8, "dst");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(ValueLayout.JAVA_LONG);
            host.set(ValueLayout.JAVA_LONG, 0, 42);
            cu.copyToDevice(src, host.address(), 8, stream, "42");
            cu.zero(dst, 8, stream);
            assertFalse(cu.isCapturing(stream));
            cu.beginCapture(stream);
            assertTrue(cu.isCapturing(stream));
            cu.copyOnDevice(dst, src, 8, stream);
            var e = assertThrows(CudaException.class, () -> cu.alloc(8, "under capture"));
            assertTrue(e.getMessage().contains("CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED"), e.getMessage());
            e = assertThrows(CudaException.class, () -> cu.synchronize(stream, "under capture"));
            assertTrue(e.getMessage().contains("CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED"), e.getMessage());
            MemorySegment graph = cu.endCapture(stream, "test");
            assertFalse(cu.isCapturing(stream));
            cu.copyToHost(host.address(), dst, 8, stream, "dst");
            assertEquals(0, host.get(ValueLayout.JAVA_LONG, 0), "the captured copy has not run");
            MemorySegment exec = cu.instantiate(graph);
            cu.destroyGraph(graph);
            cu.launchGraph(exec, stream);
            cu.copyToHost(host.address(), dst, 8, stream, "dst");
            assertEquals(42, host.get(ValueLayout.JAVA_LONG, 0), "the graph ran the copy");
            cu.destroyGraphExec(exec);
            assertThrows(CudaException.class, () -> cu.launchGraph(exec, stream), "a destroyed graph is unknown");
        } finally {
            cu.free(src);
            cu.free(dst);
            cu.destroyStream(stream);
        }
    }
}
