package io.ndopt.internal.gpusuite;

import io.ndopt.device.Device;
import io.ndopt.internal.device.DeviceSegment;
import io.ndopt.internal.device.DeviceStore;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.Gpu;
import io.ndopt.internal.device.GpuEngine;
import io.ndopt.device.GpuInfo;
import io.ndopt.internal.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GPU suite: every check of {@link Checks}, {@link ConformanceChecks}, the network's device
 * operations ({@link DeviceOpsCheck}), parity at 10⁷ elements and 4096-wide products ({@link ScaleChecks}), networks trained on the device ({@link NetChecks}) and the demos
 * ({@link DemoChecks}) on one device, in one
 * call, with a JSON report ({@code gpu-check.json}). The JUnit tests and the {@code gpu-check}
 * command both run this, so the suite ships in the jar and needs no build tools on the GPU machine.
 */
public final class GpuCheck {
    private GpuCheck() {}

    /** The outcome of a suite run. */
    public record Report(String device, String engine, List<CheckResult> checks) {
        public long count(CheckResult.Status s) { return checks.stream().filter(c -> c.status() == s).count(); }
        public boolean passed() { return count(CheckResult.Status.FAIL) == 0 && count(CheckResult.Status.PASS) > 0; }
    }

    /**
     * Runs the suite on {@code device}; {@code casesDir} holds the conformance cases (null: those
     * checks are reported as skipped). {@code progress} sees each result as it comes.
     */
    public static Report run(Device device, Path casesDir, Consumer<CheckResult> progress) {
        String why = Gpu.whyNot(device);
        if (!why.isEmpty()) throw new IllegalStateException("cannot run the GPU suite on " + device + ": " + why);
        GpuEngine engine = Gpu.engine();
        String name = device.isCuda() ? engine.devices().get(device.ordinal()).describe()
                : "cpu (self-test of the suite)";
        List<CheckResult> all = new ArrayList<>();
        Consumer<List<CheckResult>> add = rs -> rs.forEach(r -> {
            all.add(r);
            progress.accept(r);
        });
        try (DeviceUpdater keep = keepOpen(device)) {
            runAll(device, casesDir, add);
        }
        return new Report(name, engine.available() ? engine.compiler() : engine.unavailableReason(), all);
    }

    /**
     * A scratch updater held open around a suite or benchmark run: the engine releases the device's kernel module and
     * primary context when its last updater closes, and re-creating a context for each of the run's hundreds of
     * optimizers would cost more than the checks. Null on the CPU.
     */
    public static DeviceUpdater keepOpen(Device device) {
        if (!device.isCuda()) return null;
        DeviceStore store = new DeviceStore(DataType.FLOAT, Nd4j.zeros(DataType.FLOAT, 1), Nd4j.zeros(DataType.FLOAT, 1),
                new INDArray[0]);
        return Gpu.engine().open(device.ordinal(), List.of(store), List.of(new DeviceSegment(0, 0, 1)));
    }

    private static void runAll(Device device, Path casesDir, Consumer<List<CheckResult>> add) {
        Checks checks = new Checks(device);
        add.accept(checks.parity());
        add.accept(checks.determinism());
        add.accept(checks.nonFinite());
        add.accept(checks.roundTrip());
        add.accept(networkOps(device));
        add.accept(ScaleChecks.run(device));
        add.accept(NetChecks.run(device));
        add.accept(mixedPrecision(device));
        add.accept(DemoChecks.run(device));
        if (casesDir == null) {
            add.accept(List.of(CheckResult.skip("conformance", "no conformance folder given (--cases)")));
        }
        else add.accept(ConformanceChecks.run(casesDir, device));
    }

    /** The network's device operations ({@link DeviceOpsCheck}) on a scratch updater of {@code device}. */
    static List<CheckResult> networkOps(Device device) {
        if (!device.isCuda()) return List.of(CheckResult.skip("ops", "the network's operations need a CUDA device"));
        try (DeviceUpdater u = scratch(device)) {
            return DeviceOpsCheck.run(u).stream().map(r -> new CheckResult(r.name(),
                    r.passed() ? CheckResult.Status.PASS : CheckResult.Status.FAIL, r.maxRel(), r.maxAbs(), r.differing(),
                    r.detail())).toList();
        } catch (RuntimeException e) {
            return List.of(CheckResult.fail("ops", "the network's device operations failed: " + e));
        }
    }

    /** An updater over a tiny float32 store of {@code device}: the network's operations need no optimizer buffers. */
    static DeviceUpdater scratch(Device device) {
        DeviceStore store = new DeviceStore(DataType.FLOAT, Nd4j.zeros(DataType.FLOAT, 4), Nd4j.zeros(DataType.FLOAT, 4),
                new INDArray[0]);
        return Gpu.engine().open(device.ordinal(), List.of(store), List.of(new DeviceSegment(0, 0, 4)));
    }

    /** Mixed precision ({@link MixedPrecisionChecks}) on a scratch updater of {@code device}. */
    static List<CheckResult> mixedPrecision(Device device) {
        if (!device.isCuda()) return List.of(CheckResult.skip("mixed", "mixed precision needs a CUDA device"));
        try (DeviceUpdater u = scratch(device)) {
            return MixedPrecisionChecks.run(device, u.ops());
        } catch (RuntimeException e) {
            return List.of(CheckResult.fail("mixed", "mixed precision on the device failed: " + e));
        }
    }

    /** Writes {@code gpu-check.json} into {@code dir} (atomically) and returns its path. */
    public static Path write(Report r, Path dir) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("device", r.device());
        json.put("compiler", r.engine());
        json.put("jdk", Runtime.version().toString());
        json.put("passed", r.count(CheckResult.Status.PASS));
        json.put("failed", r.count(CheckResult.Status.FAIL));
        json.put("skipped", r.count(CheckResult.Status.SKIP));
        json.put("checks", r.checks());
        Path file = dir.resolve("gpu-check.json");
        Json.writePlain(file, json);
        return file;
    }

    /** One line per check for the console. */
    public static String line(CheckResult c) {
        return String.format(Locale.ROOT, "%-4s %-48s max rel %.2e  max abs %.2e  differing %d  %s",
                c.status(), c.name(), c.maxRel(), c.maxAbs(), c.differing(), c.detail());
    }

    /** For reports: the devices the engine sees. */
    public static List<String> devices() { return Gpu.engine().devices().stream().map(GpuInfo::describe).toList(); }
}
