package io.ndopt.internal.gpusuite;

import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.device.Device;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.param.Param;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.schedule.Schedule;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.TrainResult;
import io.ndopt.train.TrainState;
import io.ndopt.internal.nn.DeviceModel;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The network checks of the GPU suite: small MLPs trained by the same {@link Trainer} on the CPU
 * and on {@code device} (where the whole step runs on the GPU), compared epoch by epoch (train and
 * validation loss and metric) and by their final parameters, with their exact-zero patterns; and
 * a run moved between the devices mid-way (checkpoint state) against an uninterrupted CPU run.
 *
 * <p>Bounds: float64 1e-10 relative (or 1e-13 absolute), float32 1e-4 relative (or 1e-6 absolute) —
 * the products' summation order differs between cuBLAS and OpenBLAS, every element-wise pass is
 * the CPU's arithmetic. Exact zeros must coincide (float32: a zero against a value within the
 * absolute bound counts as a threshold tie).
 */
public final class NetChecks {
    static final int EPOCHS = 4;
    static final Tolerance F64 = new Tolerance(1e-10, 1e-13, false);
    static final Tolerance F32 = new Tolerance(1e-4, 1e-6, true);

    /** A problem, a model and an optimizer: what one trajectory check trains. */
    record Case(String name, Supplier<Dataset> data, int[] hidden, Activation act, double dropout, Loss loss,
                Supplier<OptimizerBuilder> optimizer) {}

    static final List<Case> CASES = List.of(
            new Case("sgd_l2", NetChecks::spirals, new int[] {16, 16}, Activation.RELU, 0, Loss.SOFTMAX_CROSS_ENTROPY,
                    () -> Optimizer.sgd(0.05).momentum(0.9).weightDecay(1e-3)),
            new Case("adam", NetChecks::moons, new int[] {12}, Activation.TANH, 0, Loss.BCE_WITH_LOGITS,
                    () -> Optimizer.adam(1e-2)),
            new Case("adamw_dropout", NetChecks::spirals, new int[] {16, 8}, Activation.LEAKY_RELU, 0.2,
                    Loss.SOFTMAX_CROSS_ENTROPY, () -> Optimizer.adamw(1e-2).weightDecay(1e-2)),
            new Case("adamw_l1", NetChecks::spirals, new int[] {16, 16}, Activation.RELU, 0,
                    Loss.SOFTMAX_CROSS_ENTROPY, () -> Optimizer.adamw(1e-2).weightDecay(1e-2).l1(0.5)),
            new Case("clip_cosine", NetChecks::regression, new int[] {10}, Activation.SIGMOID, 0, Loss.MSE,
                    () -> Optimizer.adam(2e-2).schedule(Schedule.cosine(2e-2, 40, 1e-4)).clipNorm(0.5)),
            // the structured prox runs on the host values: a download and upload around each GPU step
            new Case("group_lasso_rows", NetChecks::spirals, new int[] {16}, Activation.RELU, 0,
                    Loss.SOFTMAX_CROSS_ENTROPY, () -> Optimizer.adam(1e-2).groupLasso(GroupLasso.rows(0.5))));

    private NetChecks() {}

    static Dataset spirals() { return Synthetic.spirals(240, 3, 0.1, 5, DataType.DOUBLE); }
    static Dataset moons() { return Synthetic.moons(200, 0.15, 0.05, 6, DataType.DOUBLE); }
    static Dataset regression() { return Synthetic.sparseRegression(160, 12, 4, 0.1, 7, DataType.DOUBLE).data(); }

    /** How many checks {@link #run} returns. */
    public static int count() { return 2 * CASES.size() + 4; }

    /** Every check on {@code device}. */
    public static List<CheckResult> run(Device device) {
        List<CheckResult> out = new ArrayList<>();
        for (Case c : CASES) {
            for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) out.add(trajectory(c, dt, device));
        }
        for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            out.add(resume(CASES.get(2), dt, device, Device.cpu(), "gpu-to-cpu"));
            out.add(resume(CASES.get(2), dt, Device.cpu(), device, "cpu-to-gpu"));
        }
        return out;
    }

    static Tolerance tolerance(DataType dt) { return dt == DataType.FLOAT ? F32 : F64; }

    private static String name(String kind, Case c, DataType dt) {
        return kind + "/" + c.name() + "/" + dt.name().toLowerCase(Locale.ROOT).replace("float", "float32")
                .replace("double", "float64");
    }

    /** One run: the history and the final parameters (values, in order). */
    record Run(List<EpochRecord> history, List<double[]> params, TrainResult result) {}

    static CheckResult trajectory(Case c, DataType dt, Device device) {
        String name = name("network", c, dt);
        try {
            Run cpu = train(c, dt, Device.cpu(), EPOCHS);
            long passes = DeviceModel.passes();
            Run dev = train(c, dt, device, EPOCHS);
            String off = offDevice(device, passes);
            if (off != null) return CheckResult.fail(name, off);
            Tolerance tol = tolerance(dt);
            Tolerance.Comparison cmp = tol.compare(curve(dev.history()), curve(cpu.history()));
            for (int i = 0; i < cpu.params().size(); i++) cmp = cmp.merge(tol.compare(dev.params().get(i),
                    cpu.params().get(i)));
            long zeros = cpu.params().stream().flatMapToDouble(Arrays::stream).filter(v -> v == 0).count();
            return CheckResult.of(name, cmp, EPOCHS + " epochs, batch 32: train/val loss and metric per epoch and the "
                    + "final parameters vs the same run on the CPU; " + zeros + " exact zeros");
        } catch (RuntimeException e) {
            return CheckResult.fail(name, e.toString());
        }
    }

    static CheckResult resume(Case c, DataType dt, Device first, Device second, String label) {
        String name = "network-resume/" + label + "/" + name("", c, dt).substring(1);
        try {
            Run whole = train(c, dt, Device.cpu(), EPOCHS);
            Dataset data = c.data().get().castTo(dt);
            Sequential m1 = model(c, data, dt);
            Optimizer o1 = c.optimizer().get().device(first).build(m1.params());
            TrainState state = new TrainState();
            Sequential m2 = model(c, data, dt);
            TrainResult r;
            long passes = DeviceModel.passes();
            try {
                trainer(m1, c, o1, EPOCHS / 2).resume(state, data, data);
                for (int i = 0; i < m1.params().size(); i++) m2.params().get(i).setValue(m1.params().get(i).value());
                Optimizer o2 = c.optimizer().get().device(second).build(m2.params());
                try {
                    o2.loadStateDict(o1.stateDict());
                    r = trainer(m2, c, o2, EPOCHS).resume(state, data, data);
                } finally {
                    o2.close();
                }
            } finally {
                o1.close();
            }
            String off = offDevice(first.isCuda() ? first : second, passes);
            if (off != null) return CheckResult.fail(name, off);
            Tolerance.Comparison cmp = tolerance(dt).compare(curve(r.history()), curve(whole.history()));
            List<double[]> ps = values(m2);
            for (int i = 0; i < ps.size(); i++) {
                cmp = cmp.merge(tolerance(dt).compare(ps.get(i), whole.params().get(i)));
            }
            return CheckResult.of(name, cmp, EPOCHS / 2 + " epochs on " + first + ", then " + EPOCHS / 2 + " on "
                    + second + " from its parameters, optimizer state and trainer state, vs " + EPOCHS
                    + " epochs on the CPU");
        } catch (RuntimeException e) {
            return CheckResult.fail(name, e.toString());
        }
    }

    /**
     * Null if the network ran on {@code device} since {@code passesBefore} ({@link DeviceModel#passes}) or the device
     * is the CPU; else why the check fails: a silent fallback of the network to the CPU.
     */
    static String offDevice(Device device, long passesBefore) {
        if (!device.isCuda() || DeviceModel.passes() > passesBefore) return null;
        return "the network ran on the CPU, not on " + device + " (no forward/backward pass on the device; see the "
                + "warning above for why)";
    }

    static Run train(Case c, DataType dt, Device device, int epochs) {
        Dataset data = c.data().get().castTo(dt);
        Sequential model = model(c, data, dt);
        Optimizer opt = c.optimizer().get().device(device).build(model.params());
        try {
            TrainResult r = trainer(model, c, opt, epochs).fit(data, data);
            return new Run(r.history(), values(model), r);
        } finally {
            opt.close();
        }
    }

    private static Sequential model(Case c, Dataset data, DataType dt) {
        int outputs = Math.toIntExact(data.y().columns());
        double[] drop = new double[c.hidden().length];
        Arrays.fill(drop, c.dropout());
        return Sequential.mlp(data.x().columns(), c.hidden(), outputs, c.act(), Activation.IDENTITY, drop, dt, 42);
    }

    private static Trainer trainer(Sequential model, Case c, Optimizer opt, int epochs) {
        return new Trainer(model, c.loss(), opt, TrainerOptions.defaults().withEpochs(epochs).withBatchSize(32)
                .withSeed(3));
    }

    private static List<double[]> values(Sequential model) {
        List<double[]> out = new ArrayList<>();
        for (Param p : model.params()) out.add(p.value().castTo(DataType.DOUBLE).dup().data().asDouble());
        return out;
    }

    /** Per epoch: train loss, train metric, validation loss, validation metric. */
    static double[] curve(List<EpochRecord> h) {
        double[] out = new double[4 * h.size()];
        for (int i = 0; i < h.size(); i++) {
            EpochRecord r = h.get(i);
            out[4 * i] = r.trainLoss();
            out[4 * i + 1] = r.trainMetric();
            out[4 * i + 2] = r.valLoss();
            out[4 * i + 3] = r.valMetric();
        }
        return out;
    }
}
