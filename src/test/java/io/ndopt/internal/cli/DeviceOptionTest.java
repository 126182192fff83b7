package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.internal.run.ResumeCheck;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.LayerSpec;
import io.ndopt.internal.config.Raw;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.device.Device;
import io.ndopt.internal.device.Gpu;
import io.ndopt.internal.run.DeviceChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device} on train, compare, sweep and demo, on any JDK and without a GPU: parsing through the
 * one configuration path (flag, config file), the usage error for a device this machine cannot use
 * (before anything is written), the {@code device} fields of the run files on the CPU, and resume
 * checks that accept a device change. The GPU side runs in {@link GpuCliTest}.
 */
class DeviceOptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** No machine has 100 GPUs: unusable everywhere (JDK 17, no driver, or "does not exist"). */
    private static final Device ABSENT = Device.cuda(99);
    @TempDir Path dir;

    @Test
    void theDeviceKeyParsesEverySpellingAndNamesBadOnes() {
        assertEquals(Device.cpu(), Keys.DEVICE.defaultFor(null));
        assertEquals(Device.cuda(0), Keys.DEVICE.bind(Raw.text("cuda", "--device")));
        assertEquals(Device.cuda(3), Keys.DEVICE.bind(Raw.text("CUDA:3", "--device")));
        assertEquals(Device.cpu(), Keys.DEVICE.bind(Raw.typed("cpu", "run.yaml:2")));
        assertEquals(Device.cuda(1), Keys.DEVICE.bind(Raw.typed("cuda:1", "run.yaml:2")));
        var e = assertThrows(ConfigException.class, () -> Keys.DEVICE.bind(Raw.text("gpu", "--device")));
        assertTrue(e.getMessage().contains("--device") && e.getMessage().contains("'device'")
                && e.getMessage().contains("'gpu'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Keys.DEVICE.bind(Raw.typed(0, "run.yaml:4")));
        assertTrue(e.getMessage().contains("run.yaml:4") && e.getMessage().contains("cuda:N"), e.getMessage());
        assertThrows(ConfigException.class, () -> Keys.DEVICE.bind(Raw.text("cuda:-1", "--device")));
        assertEquals("cuda:2", Keys.DEVICE.kind().plain(Device.cuda(2)));
        assertTrue(Keys.DEVICE.resumable(), "checkpoints are device-independent");
        assertFalse(Keys.DEVICE.isOptimizerField(), "compare shares it across runs");
    }

    @Test
    void anUnusableDeviceIsAUsageErrorThatSaysWhyBeforeAnythingIsWritten() throws Exception {
        String why = Gpu.whyNot(ABSENT);
        assertFalse(why.isEmpty());
        String[][] commands = {
            {"train", "--dataset", "blobs", "--epochs", "1"},
            {"compare", "--dataset", "blobs", "--epochs", "1", "--run", "adam:lr=0.01", "--run", "sgd:lr=0.1"},
            {"sweep", "--dataset", "poly", "--hidden", "none", "--epochs", "1", "--lambdas", "0,1", "--folds", "2"},
            {"demo", "sparse"}};
        for (String[] c : commands) {
            Path out = dir.resolve(c[0]);
            String[] args = concat(c, "--device", "cuda:99", "--out", out.toString());
            Cli.run(args).expect(Main.EXIT_USAGE, "--device", "device cuda:99 cannot be used here", why);
            assertFalse(Files.exists(out), c[0] + " wrote " + out);
        }
        Path cfg = dir.resolve("run.yaml");
        Files.writeString(cfg, "dataset: blobs\ndevice: cuda:99\n");
        Cli.run("train", "--config", cfg.toString(), "--out", dir.resolve("f").toString())
                .expect(Main.EXIT_USAGE, "run.yaml:2", "device cuda:99 cannot be used here", why);
        Cli.run("train", "--device", "gpu", "--out", dir.resolve("g").toString())
                .expect(Main.EXIT_USAGE, "--device", "'gpu'", "cpu, cuda, cuda:N");
        Cli.run("demo", "sparse", "--device", "tpu", "--out", dir.resolve("h").toString())
                .expect(Main.EXIT_USAGE, "--device", "'tpu'");
        assertFalse(Files.exists(dir.resolve("f")) || Files.exists(dir.resolve("g")) || Files.exists(dir.resolve("h")));
    }

    @Test
    void cpuRunsRecordTheirDeviceInEveryRunFile() throws Exception {
        Path cfg = dir.resolve("run.yaml");
        Files.writeString(cfg, "dataset: blobs\nhidden: [4]\nepochs: 1\ndevice: cpu\n");
        Path t = dir.resolve("t");
        Cli train = Cli.run("train", "--config", cfg.toString(), "--out", t.toString()).expect(0);
        assertTrue(train.out().contains("\ndevice: cpu"), train.out());
        JsonNode m = JSON.readTree(t.resolve("metrics.json").toFile());
        assertEquals("cpu", m.get("device").asText());
        assertEquals("cpu", m.get("device_info").asText());
        assertEquals("cpu", m.get("config").get("device").asText());

        Path c = dir.resolve("c");
        Cli cmp = Cli.run("compare", "--dataset", "blobs", "--hidden", "4", "--epochs", "1", "--run", "adam:lr=0.01",
                "--run", "sgd:lr=0.1", "--out", c.toString()).expect(0);
        assertTrue(cmp.out().contains("\ndevice: cpu"), cmp.out());
        JsonNode cj = JSON.readTree(c.resolve("compare.json").toFile());
        assertEquals("cpu", cj.get("device").asText());
        assertEquals("cpu", cj.get("config").get("device").asText());

        Path s = dir.resolve("s");
        Cli.run("sweep", "--dataset", "poly", "--hidden", "none", "--epochs", "1", "--lambdas", "0,1", "--folds", "2",
                "--device", "cpu", "--out", s.toString()).expect(0);
        JsonNode sj = JSON.readTree(s.resolve("sweep.json").toFile());
        assertEquals("cpu", sj.get("device").asText());
        assertEquals("cpu", sj.get("config").get("device").asText());
    }

    /** Resume checks refuse changed settings, but the device is exempt: it is declared resumable in {@code Keys}. */
    @Test
    void aResumeMayChangeTheDeviceButNotTheModel() {
        RunRequest saved = request(Map.of("dataset", "blobs", "device", "cuda:0"), "checkpoint x.zip");
        RunRequest onCpu = request(Map.of("dataset", "blobs", "device", "cpu"), "--device");
        ResumeCheck.settings(saved, onCpu, Map.of(Keys.DEVICE, "--device"), false);
        ResumeCheck.settings(onCpu, saved, Map.of(Keys.DEVICE, "--device"), false);
        RunRequest other = request(Map.of("dataset", "blobs", "device", "cpu", "hidden", List.of(3)), "--hidden");
        var e = assertThrows(ConfigException.class, () -> ResumeCheck.settings(saved, other,
                Map.of(Keys.DEVICE, "--device", Keys.HIDDEN, "--hidden"), false));
        assertTrue(e.getMessage().contains("hidden") && !e.getMessage().contains("device"), e.getMessage());
        // a device inherited from the checkpoint that this machine cannot use says how to resume elsewhere
        e = assertThrows(ConfigException.class, () -> DeviceChoice.require(ABSENT, "checkpoint x.zip"));
        assertTrue(e.getMessage().startsWith("checkpoint x.zip: device cuda:99 cannot be used here")
                && e.getMessage().contains("pass --device cpu"), e.getMessage());
        assertEquals(Device.cpu(), DeviceChoice.require(Device.cpu(), "--device"));
        assertEquals("cpu", DeviceChoice.describe(Device.cpu()));
    }

    private static RunRequest request(Map<String, Object> typed, String where) {
        Map<String, Raw> raw = new LinkedHashMap<>();
        typed.forEach((k, v) -> raw.put(k, Raw.typed(v, where)));
        return RunRequest.of(List.of(LayerSpec.bind(raw, Keys.all())));
    }

    static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
