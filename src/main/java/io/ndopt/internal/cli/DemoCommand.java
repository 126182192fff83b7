package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.Raw;
import io.ndopt.internal.demo.Demo;
import io.ndopt.device.Device;
import io.ndopt.internal.run.DeviceChoice;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs one of the regularization demos. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {
        "Run a demo: overfit (L2 tames a degree-15 fit), sparse (L1 feature selection), adamw (Adam+L2 vs AdamW), "
                + "lambda-cv (choosing lambda),",
        "prune (group lasso finds the small network; L1 and L2 do not), optimizers (AdamW, Lion, Muon, schedule-free "
                + "AdamW, NAdam, RMSprop on one MLP).",
        "Writes DIR/result.json and PNG plots; overfit and sparse also an interactive page (DIR/overfit.html, "
                + "DIR/sparse.html)."})
final class DemoCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "overfit, sparse, adamw, lambda-cv, prune or optimizers") String name;
    @Option(names = "--out", required = true, description = "Output folder.") Path out;
    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--overwrite", description = "Delete the previous run's files in --out first.") boolean overwrite;
    @Option(names = "--device", defaultValue = "cpu",
            description = "Where the demo's training runs: cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Override public Integer call() throws Exception {
        if (!Demo.NAMES.contains(name)) {
            throw new ConfigException("unknown demo '" + name + "' (valid: " + String.join(", ", Demo.NAMES) + ")");
        }
        Device where = DeviceChoice.require(Keys.DEVICE.bind(Raw.text(device, "--device")), "--device");
        Map<String, Object> r;
        try (RunFolder folder = RunFolder.prepare(out, "demo " + name, overwrite, null, System.out)) {
            System.out.println("demo " + name + " (seed " + seed + ") ...");
            System.out.println("device: " + DeviceChoice.describe(where));
            folder.begin();
            r = Demo.run(name, out, seed, where);
            folder.adoptAll();
            folder.finish();
        }
        for (var e : r.entrySet()) {
            Object v = e.getValue();
            if ((v instanceof Number || v instanceof String) && !e.getKey().equals("table")) System.out.println("  " + e.getKey() + " = " + v);
        }
        if (r.get("table") instanceof String table) System.out.print(table);
        @SuppressWarnings("unchecked")
        List<String> plots = (List<String>) r.get("plots");
        System.out.println("wrote " + out.resolve("result.json") + " and "
                + plots.stream().map(p -> out.resolve(p).toString()).toList());
        if (r.get("page") instanceof String page) {
            System.out.println("interactive page: " + out.resolve(page) + " (open it in a browser; no network needed)");
        }
        return 0;
    }
}
