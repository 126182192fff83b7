package io.ndopt.internal.gpusuite;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.device.Device;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.FakeCuda;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The GPU suite's mixed-precision checks ({@link MixedPrecisionChecks}) over the stand-in driver, which emulates
 * cublasGemmEx with bfloat16/float16 inputs and TF32 math on the host; that they catch a wrong conversion and a TF32
 * switch that does nothing; the reference conversions against hand-computed encodings.
 */
class MixedPrecisionChecksTest {
    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    @Test void everyCheckPassesOverTheStandIn() {
        List<CheckResult> rs = GpuCheck.mixedPrecision(Device.cuda(0));
        assertEquals(MixedPrecisionChecks.count(), rs.size());
        List<String> failed = new ArrayList<>();
        for (CheckResult r : rs) {
            System.out.println(GpuCheck.line(r));
            if (r.status() != CheckResult.Status.PASS) failed.add(r.name() + ": " + r.detail());
        }
        assertTrue(failed.isEmpty(), String.join("\n", failed));
    }

    /** float16 asked, bfloat16 delivered; TF32 requested and ignored: the checks fail exactly those. */
    @Test void theChecksCatchAWrongConversionAndAnIgnoredTf32() {
        try (DeviceUpdater u = GpuCheck.scratch(Device.cuda(0))) {
            DeviceOps wrong = new Delegate(u.ops()) {
                @Override public void toHalf(DataType half, long src, long dst, long len) {
                    d.toHalf(DataType.BFLOAT16, src, dst, len);
                }
                @Override public void tf32(boolean on) { }
            };
            SplittableRandom r = new SplittableRandom(3);
            assertEquals(CheckResult.Status.PASS, MixedPrecisionChecks.conversion(wrong, DataType.BFLOAT16, r).status());
            assertEquals(CheckResult.Status.FAIL, MixedPrecisionChecks.conversion(wrong, DataType.HALF, r).status());
            CheckResult tf = MixedPrecisionChecks.product(wrong, null, r);
            assertEquals(CheckResult.Status.FAIL, tf.status());
            assertTrue(tf.detail().contains("TF32 was not used"), tf.detail());
            assertEquals(CheckResult.Status.PASS, MixedPrecisionChecks.product(u.ops(), null, r).status());
        }
    }

    /** The reference against encodings computed by hand. */
    @Test void referenceConversionsByHand() {
        assertEquals(0x3c00, HalfReference.f16(1f));
        assertEquals(0x3c00, HalfReference.f16(1 + 0x1p-11f), "tie: to even (down)");
        assertEquals(0x3c02, HalfReference.f16(1 + 3 * 0x1p-11f), "tie: to even (up)");
        assertEquals(0x7bff, HalfReference.f16(65504f));
        assertEquals(0x7bff, HalfReference.f16(65519.996f));
        assertEquals(0x7c00, HalfReference.f16(65520f), "tie at the top: to even, infinity");
        assertEquals(0x0001, HalfReference.f16(0x1p-24f), "smallest subnormal");
        assertEquals(0x0000, HalfReference.f16(0x1p-25f), "half of it: tie to even zero");
        assertEquals(0x0002, HalfReference.f16(3 * 0x1p-25f), "1.5 units: tie to even 2");
        assertEquals(0x8000, HalfReference.f16(-0f));
        assertEquals(0xfc00, HalfReference.f16(Float.NEGATIVE_INFINITY));
        assertEquals(0x3f80, HalfReference.bf16(1f));
        assertEquals(0x3f80, HalfReference.bf16(1 + 0x1p-8f), "tie: to even (down)");
        assertEquals(0x3f82, HalfReference.bf16(1 + 3 * 0x1p-8f), "tie: to even (up)");
        assertEquals(0x7f80, HalfReference.bf16(Float.MAX_VALUE), "rounds past the largest bfloat16");
        assertEquals(0xbf80, HalfReference.bf16(-1f));
        assertEquals(65504f, HalfReference.fromF16(0x7bff));
        assertEquals(0x1p-24f, HalfReference.fromF16(1));
        assertEquals(-2f, HalfReference.fromBf16(0xc000));
    }
}
