package io.ndopt.internal.gpusuite;

import io.ndopt.device.Device;
import io.ndopt.internal.device.Gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The GPU suite ({@code ndopt gpu-check}) on a real GPU: runs where the engine finds a device,
 * otherwise is skipped with the engine's reason (no JDK 22+, no driver, no device).
 */
class GpuSuiteTest {
    @Test void gpuSuitePassesOnCuda0() {
        Gpu.reload();
        String why = Gpu.whyNot(Device.cuda(0));
        assumeTrue(why.isEmpty(), "no GPU: " + why);
        assumeTrue(System.getProperty("ndopt.cuda.driver") == null, "a stand-in driver is configured, not a GPU");
        GpuCheck.Report r = GpuCheck.run(Device.cuda(0), Path.of("src/test/resources/conformance"), c -> { });
        StringBuilder failed = new StringBuilder();
        r.checks().stream().filter(c -> c.status() == CheckResult.Status.FAIL)
                .forEach(c -> failed.append(GpuCheck.line(c)).append('\n'));
        assertTrue(r.passed(), "GPU suite on " + r.device() + " failed:\n" + failed);
    }
}
