package io.ndopt.internal.gpusuite;

import io.ndopt.internal.demo.Demo;
import io.ndopt.device.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.ndopt.internal.nn.DeviceModel;
import java.util.stream.Stream;

/**
 * The demos on the GPU against the same demos on the CPU (same seed): every number a demo reports
 * (test errors, accuracies, exact-zero fractions, live units, chosen λ, …) must agree within 10 %
 * relative (or 1e-12 absolute, for numbers that are zero up to rounding): a number off by 2× (50 % relative) fails,
 * with room left for float32 runs whose accuracy moves by a sample. The H200 run
 * of the earlier code agreed to 2e-3 relative at worst (a 1e-10 training error), most numbers to 1e-7. On a GPU
 * the demo must also have run its network there ({@link DeviceModel#passes}): a silent fallback to the CPU fails.
 * {@link NetChecks} holds the tight per-step bounds.
 */
public final class DemoChecks {
    static final double REL = 0.1, ABS = 1e-12;

    private DemoChecks() {}

    public static List<CheckResult> run(Device device) {
        List<CheckResult> out = new ArrayList<>();
        Path work;
        try {
            work = Files.createTempDirectory("ndopt-demo-check");
        } catch (IOException e) {
            throw new UncheckedIOException("demo checks: no temporary folder", e);
        }
        try {
            for (String name : Demo.NAMES) out.add(check(name, device, work));
        } finally {
            delete(work);
        }
        return out;
    }

    static CheckResult check(String name, Device device, Path work) {
        String check = "demo/" + name;
        try {
            Map<String, Object> cpu = Demo.run(name, dir(work, "cpu-" + name), 42, Device.cpu());
            long passes = DeviceModel.passes();
            Map<String, Object> dev = Demo.run(name, dir(work, "gpu-" + name), 42, device);
            long onDevice = DeviceModel.passes() - passes;
            if (device.isCuda() && onDevice == 0) {
                return CheckResult.fail(check, "the demo's network ran on the CPU, not on " + device
                        + " (no forward/backward pass on the device; see the warning above for why)");
            }
            Map<String, Double> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
            leaves("", cpu, a);
            leaves("", dev, b);
            a.remove("seed");
            b.remove("seed");
            return compare(check, a, b, "CPU vs " + device + (device.isCuda() ? " (" + onDevice
                    + " network passes on the device)" : ""));
        } catch (IOException | RuntimeException e) {
            return CheckResult.fail(check, e.toString());
        }
    }

    /** The numbers {@code b} against {@code a} (same keys) within {@link #REL} or {@link #ABS}. */
    static CheckResult compare(String check, Map<String, Double> a, Map<String, Double> b, String what) {
        if (!a.keySet().equals(b.keySet())) {
            return CheckResult.fail(check, "the two results report different numbers: " + a.keySet() + " vs "
                    + b.keySet());
        }
        String worst = null;
        double worstRel = 0, worstAbs = 0;
        int bad = 0, differing = 0;
        for (Map.Entry<String, Double> e : a.entrySet()) {
            double x = e.getValue(), y = b.get(e.getKey());
            if (Double.compare(x, y) == 0) continue;
            differing++;
            double d = Math.abs(x - y), rel = d / Math.max(Math.abs(x), Math.abs(y));
            if (!(d <= ABS || rel <= REL)) bad++;
            if (worst == null || rel > worstRel) {
                worst = e.getKey() + " " + fmt(x) + " vs " + fmt(y);
                worstRel = rel;
                worstAbs = d;
            }
        }
        String detail = a.size() + " numbers of result.json, " + what + ", within 10% or 1e-12; "
                + (worst == null ? "all equal" : "largest relative difference: " + worst);
        return new CheckResult(check, bad == 0 ? CheckResult.Status.PASS : CheckResult.Status.FAIL, worstRel,
                worstAbs, differing, bad == 0 ? detail : bad + " out of bounds; " + detail);
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.6g", v); }

    private static Path dir(Path work, String name) throws IOException {
        return Files.createDirectories(work.resolve(name));
    }

    /**
     * Every number in a result (maps and lists walked; strings skipped), keyed by its path; wall times (keys
     * {@code *seconds}, {@code *seconds_curve}) are skipped: they measure the device, not the result.
     */
    @SuppressWarnings("unchecked")
    static void leaves(String path, Object v, Map<String, Double> out) {
        if (v instanceof Number n) out.put(path, n.doubleValue());
        else if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : ((Map<Object, Object>) m).entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.endsWith("seconds") || key.endsWith("seconds_curve")) continue;
                leaves(path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) leaves(path + "[" + i + "]", l.get(i), out);
        } else if (v instanceof double[] d) {
            for (int i = 0; i < d.length; i++) out.put(path + "[" + i + "]", d[i]);
        } else if (v instanceof int[] d) {
            for (int i = 0; i < d.length; i++) out.put(path + "[" + i + "]", (double) d[i]);
        } else if (v instanceof long[] d) {
            for (int i = 0; i < d.length; i++) out.put(path + "[" + i + "]", (double) d[i]);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
