package io.ndopt.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.device.Device;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Init;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The demos' two ways of training on {@code cuda:0} of the stand-in driver ({@link FakeCuda}; JDK 22+,
 * skipped elsewhere), shortened: the trainer runs of the prune demo (float32) and the full-batch
 * warm-started prox-SGD of the sparse and lambda-cv demos (float64) give the CPU's results within
 * float tolerance and the same exact zeros. (The full demos take thousands of steps, too many for the
 * stand-in driver's synchronizing kernels.)
 */
class DemoDeviceTest {
    @TempDir Path dir;

    @BeforeAll static void gpu() throws Exception { FakeCuda.install(); }

    @AfterAll static void cpu() { FakeCuda.restore(); }

    @Test
    void pruneDemoRunsOnTheGpuWithTheCpusResults() throws Exception {
        var cfg = new PruneDemo.Settings(2, 100, 3e-3, 0.3, 0.1, 0.6);
        Files.createDirectories(dir.resolve("c"));
        Files.createDirectories(dir.resolve("g"));
        var cpu = runs(PruneDemo.run(dir.resolve("c"), 42, cfg, Device.cpu()));
        var gpu = runs(PruneDemo.run(dir.resolve("g"), 42, cfg, Device.cuda(0)));
        assertEquals(4, gpu.size());
        for (int i = 0; i < cpu.size(); i++) {
            Map<String, Object> c = cpu.get(i), g = gpu.get(i);
            String what = "run " + c.get("penalty");
            assertEquals(c.get("zero_weight_fraction"), g.get("zero_weight_fraction"), what + ": exact zeros");
            assertEquals(c.get("live_units"), g.get("live_units"), what);
            assertEquals(c.get("inputs_used"), g.get("inputs_used"), what);
            assertEquals((double) c.get("val_accuracy"), (double) g.get("val_accuracy"), 1e-9, what);
        }
    }

    @Test
    void fullBatchWarmStartsOnTheGpuGiveTheCpusCoefficientsAndZeros() {
        Dataset d = Synthetic.sparseRegression(40, 30, 4, 0.5, 7, DataType.DOUBLE).data();
        double[] cpu = path(d, Device.cpu()), gpu = path(d, Device.cuda(0));
        int zeros = 0;
        for (int j = 0; j < cpu.length; j++) {
            assertEquals(cpu[j] == 0, gpu[j] == 0, "exact zero pattern at " + j);
            assertEquals(cpu[j], gpu[j], 1e-12 * Math.max(1, Math.abs(cpu[j])), "w" + j);
            if (cpu[j] == 0) zeros++;
        }
        assertTrue(zeros > 0 && zeros < cpu.length, "L1 leaves some, not all, weights at exact zero: " + zeros);
    }

    /** Three λ of an L1 path, warm-started on one model (each a fresh optimizer, as SparseDemo does). */
    private static double[] path(Dataset d, Device device) {
        Sequential m = new Sequential(List.of(new Dense("linear", 30, 1, Activation.IDENTITY, Init.XAVIER_UNIFORM,
                DataType.DOUBLE, 3)));
        for (double l1 : new double[] {0.5, 0.2, 0.05}) {
            FullBatch.fit(m, Loss.MSE, Optimizer.sgd(0.05).l1(l1), device, d, 20);
        }
        return m.params().get(0).value().ravel().toDoubleVector();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(Map<String, Object> result) {
        return (List<Map<String, Object>>) result.get("runs");
    }
}
