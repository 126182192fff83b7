package io.ndopt.internal.gpusuite;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.device.Device;
import io.ndopt.device.MixedPrecision;
import io.ndopt.internal.device.FakeCuda;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MLP bench's rows run over the stand-in (a tiny shape): each precision, and the passes-only row. */
class GpuMlpBenchTest {
    private static final GpuMlpBench.Shape TINY = new GpuMlpBench.Shape("tiny", 8, new int[] {6}, 3, 16);

    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    @Test void everyRowKindRuns() {
        for (MixedPrecision p : MixedPrecision.values()) {
            GpuMlpBench.Row r = GpuMlpBench.run(Device.cuda(0), TINY, 1, 3, true, p);
            assertEquals("tiny", r.config());
            assertEquals(p == MixedPrecision.FP32, !r.impl().contains(p.label() + " "), r.impl());
            assertTrue(r.medianMs() > 0 && r.minMs() <= r.medianMs() && r.reps() == 3, r.toString());
        }
        GpuMlpBench.Row passes = GpuMlpBench.passes(Device.cuda(0), TINY, 1, 3);
        assertTrue(passes.impl().contains("element-wise passes only"), passes.impl());
        assertTrue(passes.medianMs() > 0);
        assertEquals("large4096", GpuMlpBench.shape("large4096").name());
        assertEquals(4096, GpuMlpBench.shape("large4096").batch());
    }
}
