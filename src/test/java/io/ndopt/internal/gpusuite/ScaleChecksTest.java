package io.ndopt.internal.gpusuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.device.Device;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.internal.device.Gpu;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The suite's large-size checks ({@link ScaleChecks}) at stand-in sizes (the stand-in's naive products and host
 * kernels are too slow for 10⁷ and 4096), and the network checks' device assertion: with cuBLAS missing the network
 * falls back to the CPU and the check fails saying so, where it used to pass against the CPU's own trajectory.
 */
class ScaleChecksTest {
    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    @Test void largeParityAndProductsPassOnTheStandIn() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            CheckResult p = ScaleChecks.parity(Device.cuda(0), dt, 200_003);
            assertEquals(CheckResult.Status.PASS, p.status(), p.name() + ": " + p.detail());
            assertTrue(p.name().endsWith("/2e5"), p.name());
            long zeros = Long.parseLong(p.detail().replaceAll(".*; (\\d+) exact zeros.*", "$1"));
            assertTrue(zeros > 1000, "the L1 step zeroes many weights at scale: " + p.detail());
            for (boolean t : new boolean[] {false, true}) {
                CheckResult g = ScaleChecks.gemm(Device.cuda(0), dt, 96, t);
                assertEquals(CheckResult.Status.PASS, g.status(), g.name() + ": " + g.detail());
                assertTrue(g.maxRel() < 0.5, "well inside the bound: " + g.detail());
            }
        }
    }

    @Test void aNetworkThatFallsBackToTheCpuFailsItsCheck() {
        System.setProperty("ndopt.cuda.cublas", "/nonexistent/libcublas.so.13");
        Gpu.reload();
        try {
            CheckResult r = NetChecks.trajectory(NetChecks.CASES.get(0), DataType.DOUBLE, Device.cuda(0));
            assertEquals(CheckResult.Status.FAIL, r.status(), r.detail());
            assertTrue(r.detail().startsWith("the network ran on the CPU, not on cuda:0"), r.detail());
        } finally {
            FakeCuda.install();
        }
    }
}
