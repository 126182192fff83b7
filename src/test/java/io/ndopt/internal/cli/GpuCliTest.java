package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.internal.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train, compare and sweep with {@code --device cuda:0} end to end on the stand-in driver
 * ({@link FakeCuda}; JDK 22+, skipped elsewhere): the run files record the GPU, the results equal the
 * same runs on the CPU within float tolerance (float64 1e-9 relative, float32 1e-4), and checkpoints
 * resume across devices. The demos on the GPU: {@code demo.DemoDeviceTest}.
 */
class GpuCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double F64 = 1e-9, F32 = 1e-4;
    private static final String[] TRAIN = {"--dataset", "blobs", "--hidden", "8", "--optimizer", "adamw", "--lr", "0.01",
        "--l1", "1e-3", "--batch-size", "64", "--seed", "5"};
    @TempDir Path dir;

    @BeforeAll static void gpu() throws Exception { FakeCuda.install(); }

    @AfterAll static void cpu() { FakeCuda.restore(); }

    @Test
    void trainOnTheGpuMatchesTheCpuAndRecordsTheDevice() throws Exception {
        for (String dtype : new String[] {"float64", "float32"}) {
            Path c = dir.resolve("cpu-" + dtype), g = dir.resolve("gpu-" + dtype);
            Cli.run(Cli.train(TRAIN, "--dtype", dtype, "--epochs", "3", "--out", c.toString())).expect(0);
            Cli gpu = Cli.run(Cli.train(TRAIN, "--dtype", dtype, "--epochs", "3", "--device", "cuda:0",
                    "--out", g.toString())).expect(0);
            assertTrue(gpu.out().contains("\ndevice: cuda:0 ndopt fake GPU (host memory), compute capability 9.0"),
                    gpu.out());
            JsonNode mc = metrics(c), mg = metrics(g);
            assertEquals("cuda:0", mg.get("device").asText());
            assertTrue(mg.get("device_info").asText().startsWith("cuda:0 ndopt fake GPU"), mg.get("device_info").asText());
            assertEquals("cuda:0", mg.get("config").get("device").asText());
            double tol = dtype.equals("float64") ? F64 : F32;
            assertHistoriesClose(mc.get("history"), mg.get("history"), tol, dtype);
            assertEquals(mc.get("zero_weight_fraction").asDouble(), mg.get("zero_weight_fraction").asDouble(),
                    "the same exact zeros (" + dtype + ")");
            for (String p : new String[] {"fc1.W", "fc1.b", "out.W", "out.b"}) {
                double[] a = Npy.read(Files.readAllBytes(c.resolve("params/" + p + ".npy")), p).ravel()
                        .toDoubleVector();
                double[] b = Npy.read(Files.readAllBytes(g.resolve("params/" + p + ".npy")), p).ravel()
                        .toDoubleVector();
                for (int i = 0; i < a.length; i++) close(a[i], b[i], tol, dtype + " " + p + "[" + i + "]");
            }
        }
    }

    @Test
    void compareAndSweepOnTheGpuMatchTheCpu() throws Exception {
        String[] cmp = {"compare", "--dataset", "moons", "--hidden", "8", "--epochs", "2", "--dtype", "float64",
            "--run", "adam:lr=1e-2,wd=1e-3", "--run", "sgd:lr=0.1,momentum=0.9,l1=1e-3"};
        Cli.run(DeviceOptionTest.concat(cmp, "--out", dir.resolve("cc").toString())).expect(0);
        Cli.run(DeviceOptionTest.concat(cmp, "--device", "cuda:0", "--out", dir.resolve("cg").toString())).expect(0);
        JsonNode cc = JSON.readTree(dir.resolve("cc/compare.json").toFile());
        JsonNode cg = JSON.readTree(dir.resolve("cg/compare.json").toFile());
        assertEquals("cuda:0", cg.get("device").asText());
        assertEquals("cuda:0", cg.get("config").get("device").asText());
        assertEquals(2, cg.get("runs").size());
        for (int i = 0; i < 2; i++) {
            assertHistoriesClose(cc.get("runs").get(i).get("history"), cg.get("runs").get(i).get("history"), F64,
                    "compare run " + i);
        }

        String[] sweep = {"sweep", "--dataset", "poly", "--hidden", "none", "--optimizer", "adam", "--lr", "0.05",
            "--epochs", "3", "--dtype", "float64", "--penalty", "l2", "--lambdas", "0,0.1", "--folds", "2"};
        Cli.run(DeviceOptionTest.concat(sweep, "--out", dir.resolve("sc").toString())).expect(0);
        Cli.run(DeviceOptionTest.concat(sweep, "--device", "cuda", "--out", dir.resolve("sg").toString())).expect(0);
        JsonNode sc = JSON.readTree(dir.resolve("sc/sweep.json").toFile());
        JsonNode sg = JSON.readTree(dir.resolve("sg/sweep.json").toFile());
        assertEquals("cuda:0", sg.get("device").asText(), "'cuda' is cuda:0");
        for (String f : new String[] {"val_loss_mean", "train_loss_mean"}) {
            for (int k = 0; k < 2; k++) {
                close(sc.get(f).get(k).asDouble(), sg.get(f).get(k).asDouble(), F64, "sweep " + f + "[" + k + "]");
            }
        }
    }

    @Test
    void checkpointsResumeAcrossDevices() throws Exception {
        String[] run = DeviceOptionTest.concat(TRAIN, "--dtype", "float64");
        Path whole = dir.resolve("whole"), cpuHalf = dir.resolve("cpu-half"), gpuHalf = dir.resolve("gpu-half");
        Cli.run(Cli.train(run, "--epochs", "4", "--out", whole.toString())).expect(0);
        Cli.run(Cli.train(run, "--epochs", "2", "--checkpoint-every", "5", "--out", cpuHalf.toString())).expect(0);
        Cli.run(Cli.train(run, "--epochs", "2", "--checkpoint-every", "5", "--device", "cuda:0",
                "--out", gpuHalf.toString())).expect(0);
        JsonNode want = metrics(whole).get("history");

        Path up = dir.resolve("cpu-to-gpu");                 // a CPU checkpoint continued on the GPU
        Cli.run("train", "--resume", cpuHalf.toString(), "--epochs", "4", "--device", "cuda:0", "--out", up.toString())
                .expect(0);
        assertEquals("cuda:0", metrics(up).get("device").asText());
        assertHistoriesClose(want, metrics(up).get("history"), F64, "cpu checkpoint resumed on cuda:0");

        Path down = dir.resolve("gpu-to-cpu");               // a GPU checkpoint continued on the CPU
        Cli.run("train", "--resume", gpuHalf.toString(), "--epochs", "4", "--device", "cpu", "--out", down.toString())
                .expect(0);
        assertEquals("cpu", metrics(down).get("device").asText());
        assertHistoriesClose(want, metrics(down).get("history"), F64, "cuda:0 checkpoint resumed on the cpu");

        Path same = dir.resolve("gpu-again");                // no --device: the checkpoint's
        Cli.run("train", "--resume", gpuHalf.toString(), "--epochs", "4", "--out", same.toString()).expect(0);
        assertEquals("cuda:0", metrics(same).get("device").asText());
        assertHistoriesClose(want, metrics(same).get("history"), F64, "cuda:0 checkpoint resumed on cuda:0");
    }

    @Test
    void aGpuThatDoesNotExistIsAUsageError() {
        Path out = dir.resolve("none");
        Cli.run(Cli.train(TRAIN, "--device", "cuda:1", "--out", out.toString()))
                .expect(Main.EXIT_USAGE, "--device: device cuda:1 cannot be used here", "does not exist",
                        "1 CUDA device");
        Cli.run("demo", "sparse", "--device", "cuda:1", "--out", out.toString())
                .expect(Main.EXIT_USAGE, "device cuda:1 cannot be used here");
        assertFalse(Files.exists(out));
    }

    private static JsonNode metrics(Path run) throws Exception {
        return JSON.readTree(run.resolve("metrics.json").toFile());
    }

    private static void assertHistoriesClose(JsonNode want, JsonNode got, double tol, String what) {
        assertEquals(want.size(), got.size(), what + ": epochs");
        for (int e = 0; e < want.size(); e++) {
            for (Iterator<String> it = want.get(e).fieldNames(); it.hasNext();) {
                String f = it.next();
                if (f.equals("seconds") || f.equals("step_ms")) continue;      // wall times, not results
                JsonNode a = want.get(e).get(f), b = got.get(e).get(f);
                if (a.isNull()) { assertTrue(b.isNull(), what + " " + f); continue; }
                close(a.asDouble(), b.asDouble(), tol, what + ": epoch " + (e + 1) + " " + f);
            }
        }
    }

    /** |a − b| ≤ tol · max(|a|, |b|, 1e-3): relative, absolute near zero. */
    private static void close(double a, double b, double tol, String what) {
        double scale = Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-3);
        assertTrue(Math.abs(a - b) <= tol * scale, what + ": cpu " + a + " vs gpu " + b);
    }
}
