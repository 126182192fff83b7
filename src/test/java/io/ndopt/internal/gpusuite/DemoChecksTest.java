package io.ndopt.internal.gpusuite;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.device.Device;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo check on the CPU against itself, and the walk over a result's numbers. */
class DemoChecksTest {
    @TempDir Path dir;

    @Test void aDemoAgreesWithItselfOnTheCpu() {
        CheckResult r = DemoChecks.check("overfit", Device.cpu(), dir);
        assertEquals(CheckResult.Status.PASS, r.status(), r.detail());
        assertEquals(0, r.differing(), r.detail());
        assertTrue(r.detail().contains("all equal"), r.detail());
    }

    @Test void everyNumberIsFoundByItsPath() {
        Map<String, Double> out = new LinkedHashMap<>();
        DemoChecks.leaves("", Map.of("a", 1, "runs", List.of(Map.of("acc", 0.5, "name", "x")),
                "w", new double[] {2, 3}), out);
        assertEquals(Map.of("a", 1.0, "runs[0].acc", 0.5, "w[0]", 2.0, "w[1]", 3.0), out);
    }

    @Test void wallTimesAreNotCompared() {
        Map<String, Double> out = new LinkedHashMap<>();
        DemoChecks.leaves("", Map.of("runs", List.of(Map.of("loss", 0.5, "wall_seconds", 3.2,
                "seconds_curve", new double[] {1, 2}))), out);
        assertEquals(Map.of("runs[0].loss", 0.5), out);
    }

    /** A number off by 2× fails however small it is (the old bound passed anything within 0.01); rounding passes. */
    @Test void aTwofoldErrorFailsAndRoundingPasses() {
        Map<String, Double> cpu = Map.of("test_error", 0.004, "zeros", 0.0);
        assertEquals(CheckResult.Status.FAIL,
                DemoChecks.compare("demo/x", cpu, Map.of("test_error", 0.008, "zeros", 0.0), "CPU vs cuda:0").status());
        assertEquals(CheckResult.Status.FAIL,
                DemoChecks.compare("demo/x", cpu, Map.of("test_error", 0.004, "zeros", 1e-9), "CPU vs cuda:0").status());
        assertEquals(CheckResult.Status.PASS,
                DemoChecks.compare("demo/x", cpu, Map.of("test_error", 0.004 * (1 + 2e-3), "zeros", 1e-13),
                        "CPU vs cuda:0").status());
    }
}
