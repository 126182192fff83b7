package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.device.MixedPrecision;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.Raw;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --precision} through the one configuration path, and its refusal on the CPU and for float64 (usage errors,
 * before anything is written). Training in each precision on the device: {@code MixedPrecisionTrainingTest}.
 */
class PrecisionOptionTest {
    @TempDir Path dir;

    @Test void theKeyParsesEveryPrecisionAndNamesBadOnes() {
        assertEquals("fp32", Keys.PRECISION.defaultFor(null));
        for (MixedPrecision p : MixedPrecision.values()) {
            assertEquals(p, MixedPrecision.parse(Keys.PRECISION.bind(Raw.text(p.label(), "--precision"))));
        }
        var e = assertThrows(ConfigException.class, () -> Keys.PRECISION.bind(Raw.text("fp8", "--precision")));
        assertTrue(e.getMessage().contains("'fp8'") && e.getMessage().contains("bf16"), e.getMessage());
        assertTrue(Keys.PRECISION.resumable());
        assertEquals(MixedPrecision.BF16, MixedPrecision.parse("BF16"));
    }

    @Test void anythingButFp32IsRefusedOnTheCpuAndForFloat64() throws Exception {
        for (String p : new String[] {"tf32", "bf16", "fp16"}) {
            Path out = dir.resolve(p);
            Cli.run("train", "--dataset", "blobs", "--epochs", "1", "--precision", p, "--out", out.toString())
                    .expect(Main.EXIT_USAGE, "--precision", "precision " + p + " needs a GPU");
            assertFalse(Files.exists(out));
        }
        Path cfg = dir.resolve("run.yaml");
        Files.writeString(cfg, "dataset: blobs\nprecision: bf16\n");
        Cli.run("compare", "--config", cfg.toString(), "--run", "adam:lr=0.01", "--out", dir.resolve("c").toString())
                .expect(Main.EXIT_USAGE, "run.yaml:2", "precision bf16 needs a GPU");
        Cli.run("train", "--dataset", "blobs", "--epochs", "1", "--precision", "fp32", "--out",
                dir.resolve("ok").toString()).expect(0);
    }
}
