package io.ndopt.internal.gpusuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.device.Device;
import io.ndopt.internal.device.FakeCuda;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GPU suite's non-finite checks (SKIP, ERROR, PROPAGATE) run against the stand-in driver ({@link FakeCuda}:
 * ndopt's kernel sources compiled for the host), so the checks themselves are exercised before a GPU runs them.
 */
class NonFiniteChecksOnStandInTest {
    @BeforeAll static void install() { FakeCuda.install(); }

    @AfterAll static void restore() { FakeCuda.restore(); }

    @Test void everyNonFiniteCheckPasses() {
        List<CheckResult> results = new Checks(Device.cuda(0)).nonFinite();
        assertEquals(4, results.size(), "NaN and Inf, float64 and float32");
        for (CheckResult r : results) assertTrue(r.status() == CheckResult.Status.PASS, GpuCheck.line(r));
    }
}
