package io.ndopt.internal.cli;

import io.ndopt.backend.Backend;
import io.ndopt.backend.Threads;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.device.Device;
import io.ndopt.internal.io.AtomicFiles;
import io.ndopt.internal.io.Json;
import io.ndopt.internal.io.Npy;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.internal.kernel.FusedKernels;
import io.ndopt.param.Param;
import io.ndopt.param.Role;
import io.ndopt.internal.plot.Plots;
import io.ndopt.internal.plot.RunCharts;
import io.ndopt.internal.config.Keys;
import io.ndopt.prune.Pruned;
import io.ndopt.prune.Pruner;
import io.ndopt.internal.run.DeviceChoice;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.TrainResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run writes: metrics.json, params/NAME.npy and PNG plots. */
final class RunOutput {
    private RunOutput() {}

    /** train's header: the set-up, then the optimizer. */
    static void header(PrintStream out, RunRequest s, Optimizer opt, Sequential model, String extra) {
        setup(out, s.toMap(), s, opt.device(), model);
        if (!extra.isEmpty()) out.println(extra);
        optimizer(out, "optimizer", opt);
    }

    /**
     * What every run of a command shares, printed once: version, backend, threads, fused path, the
     * configuration {@code config} (compare shows the shared part only), the device, dtype, seed and model size.
     */
    static void setup(PrintStream out, Map<String, Object> config, RunRequest s, Device device, Sequential model) {
        Backend.Info b = Backend.info();
        out.println("ndopt " + b.ndoptVersion() + " | backend " + b.backend() + " ("
                + String.join("; ", b.devices()) + ", "
                + b.blasVendor() + ", threads: " + Threads.describe() + ") | fused path "
                + (FusedKernels.available() ? "on" : "off: " + FusedKernels.status()));
        out.println("config: " + config);
        out.println("device: " + DeviceChoice.describe(device));
        out.println("dtype " + s.dtype() + ", seed " + s.seed() + ", model " + model.parameterCount() + " parameters");
    }

    /**
     * The optimizer's summary, once per run ({@code what}: "optimizer", or compare's "run LABEL"): the optimizer's
     * own log line of it (written at every build, the checking builds included) is turned off for the CLI in
     * simplelogger.properties.
     */
    static void optimizer(PrintStream out, String what, Optimizer opt) {
        out.println(what + ": " + opt.summary() + "; " + opt.describeRegularization());
    }

    /**
     * The run's device for metrics.json, compare.json and sweep.json: {@code device} ({@code cpu} or
     * {@code cuda:N}) and {@code device_info} (the header's line: the GPU's name, compute capability, ...).
     */
    static void putDevice(Map<String, Object> doc, Device d) {
        doc.put("device", d.toString());
        doc.put("device_info", DeviceChoice.describe(d));
    }

    static Map<String, Object> backendMap() {
        Backend.Info b = Backend.info();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", b.backend());
        m.put("devices", b.devices());
        m.put("blas", b.blasVendor());
        m.put("threads", b.threads());
        m.put("fused_path", FusedKernels.available());
        m.put("ndopt_version", b.ndoptVersion());
        return m;
    }

    static Map<String, Object> resultMap(TrainResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", r.steps());
        m.put("skipped_steps", r.skippedSteps());
        m.put("nonfinite_steps", r.nonFiniteSteps());
        putTiming(m, r);
        m.put("best_epoch", r.bestEpoch());
        m.put("stopped_early", r.stoppedEarly());
        m.put("weight_norm", r.weightNorm());
        m.put("zero_weight_fraction", r.sparsity().zeroFraction());
        m.put("sparsity", r.sparsity().layers().stream().map(l -> Map.of("layer", l.layer(), "weights", l.weights(),
                "zero_weights", l.zeroWeights(), "units", l.units(), "dead_units", l.deadUnits())).toList());
        m.put("regularization", Map.of("decayed_tensors", r.regularization().decayedTensors(), "decayed_params",
                r.regularization().decayedParams(), "plain_tensors", r.regularization().plainTensors(), "plain_params",
                r.regularization().plainParams()));
        m.put("history", r.history());
        return m;
    }

    /** What ms_per_step means, in metrics.json, compare.json and the tables. */
    static final String TIMING = "ms_per_step: median step time (forward, backward, update) of the epochs after "
            + "the first; ms_per_step_first_epoch: the first epoch, which pays the JIT warm-up";

    /** The step times of {@link TrainResult}: steady state and first epoch apart, and what they mean. */
    static void putTiming(Map<String, Object> m, TrainResult r) {
        m.put("ms_per_step", r.msPerStep());
        m.put("ms_per_step_first_epoch", r.firstEpochMsPerStep());
        m.put("timing", TIMING);
    }

    /** A step time for a table: 3 decimals, or "-" where none was measured (one epoch has no steady state). */
    static String ms(double v) { return Double.isNaN(v) ? "-" : String.format("%.3f", v); }

    /**
     * The structure report (unread inputs, dead units per hidden layer, as {@link io.ndopt.prune.Pruner} finds
     * them); with {@code prune}, also writes the pruned network into the run folder:
     * {@code pruned/params/NAME.npy} and {@code pruned/pruned.json} (kept input indices, layer sizes,
     * parameter counts), listed in the run's manifest like every other output.
     */
    static Map<String, Object> structure(Sequential model, RunFolder dir, boolean prune) throws IOException {
        Pruned p = Pruner.prune(model);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", p.report().inputs());
        m.put("removed_inputs", p.report().removedInputs());
        m.put("layers", p.report().layers().stream()
                .map(l -> Map.of("layer", l.layer(), "units", l.units(), "dead_units", l.deadUnits())).toList());
        m.put("params", model.parameterCount());
        m.put("params_pruned", p.model().parameterCount());
        if (prune) {
            writeParams(dir, "pruned/params/", p.model().params());
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("kept_inputs", p.keptInputs());
            info.put("layer_sizes", p.model().layers().stream().filter(l -> l instanceof Dense)
                    .map(l -> ((Dense) l).outputs()).toList());
            info.put("params", p.model().parameterCount());
            Json.write(dir.file("pruned/pruned.json"), info);
        }
        return m;
    }

    static void writeParams(RunFolder dir, List<Param> params) throws IOException {
        writeParams(dir, "params/", params);
    }

    private static void writeParams(RunFolder dir, String prefix, List<Param> params) throws IOException {
        for (Param p : params) AtomicFiles.write(dir.file(prefix + p.name() + ".npy"), Npy.write(p.value()));
    }

    /** The figure and the histogram train writes. */
    static final List<String> TRAIN_PLOTS = List.of("training.png", "weights_hist.png");

    /** The data a run trained on, for a figure's title: the CSV file's name or the synthetic dataset's. */
    static String dataName(RunRequest s) {
        return s.data() != null ? Path.of(s.data()).getFileName().toString() : s.get(Keys.DATASET);
    }

    static List<String> plots(RunFolder dir, RunRequest s, TrainResult r, Sequential model, String metric)
            throws IOException {
        RunCharts.draw(dir.file("training.png"), "train on " + dataName(s) + ": " + s.optimizerSpec().type() + ":"
                + String.join(",", s.optimizerSpec().fields().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()), metric, List.of(new RunCharts.Run("train", r.history())));
        List<double[]> weights = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Param p : model.params()) {
            if (p.role() == Role.WEIGHT) {
                names.add(p.name());
                weights.add(p.value().ravel().toDoubleVector());
            }
        }
        Plots.histogram(dir.file("weights_hist.png"), "Weight histogram (exact zeros counted apart)", "weight",
                names, weights, 40);
        return TRAIN_PLOTS;
    }
}
