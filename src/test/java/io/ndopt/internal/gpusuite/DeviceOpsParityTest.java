package io.ndopt.internal.gpusuite;


import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceSegment;
import io.ndopt.internal.device.DeviceStore;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.internal.device.Gpu;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every {@link DeviceOps} operation through a real {@link DeviceUpdater} (the CUDA engine over the
 * stand-in driver and cuBLAS, {@link FakeCuda}, which runs the real {@code nn.cu}) against the CPU's
 * fused passes and BLAS, by the GPU suite's own {@link DeviceOpsCheck} (tolerances there); that the checks
 * catch a wrong pass; argument errors, the ops' lifecycle and a missing cuBLAS.
 */
class DeviceOpsParityTest {
    private DeviceUpdater updater;
    private DeviceOps ops;

    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    @BeforeEach void open() {
        updater = open(DataType.FLOAT);
        ops = updater.ops();
    }

    @AfterEach void close() { updater.close(); }

    /** An updater over a tiny store: the network's operations do not need the optimizer's buffers. */
    static DeviceUpdater open(DataType dt) {
        DeviceStore store = new DeviceStore(dt, Nd4j.zeros(dt, 4), Nd4j.zeros(dt, 4), new INDArray[0]);
        return Gpu.engine().open(0, List.of(store), List.of(new DeviceSegment(0, 0, 4)));
    }

    /** Every check of {@link DeviceOpsCheck} (the GPU suite's network checks) passes over the stand-in. */
    @Test void everyOperationMatchesTheCpuPasses() {
        List<DeviceOpsCheck.Result> results = DeviceOpsCheck.run(updater);
        assertEquals(2 * (6 + 6 + 3 + 2) + 1, results.size());
        List<String> failed = new ArrayList<>();
        for (DeviceOpsCheck.Result c : results) {
            System.out.println(c);
            if (!c.passed()) failed.add(c.toString());
        }
        assertTrue(failed.isEmpty(), String.join("\n", failed));
    }

    /** The checks see a wrong pass: relu computed as identity, products ignoring beta. */
    @Test void theChecksCatchAWrongOperation() {
        DeviceOps wrong = new Wrong(ops);
        for (DeviceOpsCheck.Result c : DeviceOpsCheck.run(wrong)) {
            boolean broken = c.name().startsWith("ops/bias_activation/relu/") || c.name().startsWith("ops/gemm/");
            assertEquals(!broken, c.passed(), c.toString());
        }
    }

    /** Delegates everything, but relu's forward runs as identity and gemm always uses beta 0. */
    private static final class Wrong extends Delegate {
        Wrong(DeviceOps d) { super(d); }

        @Override public void gemm(DataType dt, boolean ta, boolean tb, int m, int n, int k, long a, long b, double beta,
                                   long c) {
            d.gemm(dt, ta, tb, m, n, k, a, b, 0, c);
        }
        @Override public void biasActivation(DataType dt, long z, long b, long a, int rows, int n, int act) {
            d.biasActivation(dt, z, b, a, rows, n, act == ACT_RELU ? ACT_IDENTITY : act);
        }
    }

    @Test void badArgumentsAreNamed() {
        long p = ops.alloc(64, "x");
        var e = assertThrows(IllegalArgumentException.class,
                () -> ops.biasActivation(DataType.HALF, p, p, p, 1, 1, 0));
        assertTrue(e.getMessage().contains("HALF"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ops.biasActivation(DataType.FLOAT, p, p, p, 1, 1, 6));
        assertTrue(e.getMessage().contains("activation code 6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ops.lossAndGradient(DataType.FLOAT, 3, p, p, p, 1, 1, p));
        assertTrue(e.getMessage().contains("loss code 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ops.gemm(DataType.FLOAT, false, false, 0, 1, 1, p, p, 0, p));
        assertTrue(e.getMessage().contains("m must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ops.multiply(DataType.DOUBLE, p, 0, p, 2));
        assertTrue(e.getMessage().contains("null device pointer for mask"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ops.free(p + 8));
        assertTrue(e.getMessage().contains("not allocated"), e.getMessage());
        ops.free(p);
        assertThrows(IllegalArgumentException.class, () -> ops.free(p), "a double free is refused");
    }

    @Test void oneOpsPerUpdaterAndNoneAfterClose() {
        assertTrue(ops == updater.ops(), "one ops object per updater");
        long p = ops.alloc(16, "left for close to free");
        DeviceUpdater other = open(DataType.DOUBLE);
        assertTrue(ops != other.ops(), "each updater has its own ops");
        other.close();
        updater.close();
        var e = assertThrows(IllegalStateException.class, () -> ops.alloc(16, "x"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ops.free(p));
        assertThrows(IllegalStateException.class, updater::ops);
    }

    @Test void missingCublasIsNamedWithWhatWasTried() {
        String before = System.getProperty("ndopt.cuda.cublas");
        System.setProperty("ndopt.cuda.cublas", "/nonexistent/libcublas.so.13");
        try (DeviceUpdater u = open(DataType.FLOAT)) {
            var e = assertThrows(IllegalStateException.class, u::ops);
            assertTrue(e.getMessage().contains("cuBLAS") && e.getMessage().contains("/nonexistent/libcublas.so.13")
                    && e.getMessage().contains("-Dndopt.cuda.cublas"), e.getMessage());
            u.pushValues();                                          // the optimizer side still works
            u.synchronize();
        } finally {
            System.setProperty("ndopt.cuda.cublas", before);
        }
    }
}
