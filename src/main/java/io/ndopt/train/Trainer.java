package io.ndopt.train;

import io.ndopt.data.Dataset;
import io.ndopt.data.StreamingDataset;
import io.ndopt.device.MixedPrecision;
import io.ndopt.internal.nn.DeviceModel;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.internal.device.DeviceParams;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mini-batch training of a {@link Sequential} model: seeded shuffles, one optimizer step per batch,
 * a per-epoch evaluation (loss with and without penalty, accuracy or R², on train and validation),
 * early stopping on validation loss, and exact resume from a {@link TrainState}.
 *
 * <p>With an optimizer that evaluates at another point than it trains at (schedule-free AdamW,
 * {@link Optimizer#hasEvalPoint()}), the steps run at the train point and every evaluation, early-stopping snapshot
 * and checkpoint sees the eval point ({@link Optimizer#evalMode()}, as the reference's {@code optimizer.eval()});
 * a run starts by returning to the train point ({@link Optimizer#trainMode()}, bit for bit, so a resumed run
 * continues exactly) and ends at the eval point, the model to use.
 *
 * <p>Precision ({@link TrainerOptions#precision()}): anything but FP32 runs the network on the optimizer's GPU in
 * that precision ({@link MixedPrecision}) and is refused (IllegalArgumentException) where it cannot: on the CPU, for a
 * float64 model, or where the network cannot run on the GPU. FP16 scales the loss ({@link LossScaler}): a step whose
 * scaled gradients hold an inf or NaN is skipped without calling the optimizer (it counts in the global step, and in
 * {@link TrainState#scalerSkippedSteps()}); the scaler's state is in the {@link TrainState}, so checkpoints resume it.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private final Sequential model;
    private final Loss loss;
    private final Optimizer opt;
    private final TrainerOptions cfg;
    private TrainListener listener = new TrainListener() {};

    public Trainer(Sequential model, Loss loss, Optimizer opt, TrainerOptions cfg) {
        this.model = Objects.requireNonNull(model);
        this.loss = Objects.requireNonNull(loss);
        this.opt = Objects.requireNonNull(opt);
        this.cfg = Objects.requireNonNull(cfg);
    }

    public Trainer listener(TrainListener l) {
        this.listener = Objects.requireNonNull(l);
        return this;
    }

    public TrainResult fit(Dataset train, Dataset val) { return resume(new TrainState(), train, val); }

    /**
     * Continues from {@code state} (parameters and optimizer state must already be restored) up to
     * {@code cfg.epochs()}. With a GPU optimizer the whole step runs on that GPU ({@link DeviceModel}) where the
     * model allows it ({@link DeviceModel#problem}; otherwise the network runs on the CPU, with one warning saying why):
     * parameters stay there during training and are downloaded for each evaluation, checkpoint and
     * early-stopping snapshot, and at the end, so {@code param.value()} is current when this returns.
     */
    public TrainResult resume(TrainState state, Dataset train, Dataset val) {
        checkFinite(train, "training");
        if (val != null) checkFinite(val, "validation");
        double[] ms;
        boolean onGpu = false;
        MixedPrecision precision = cfg.precision();
        if (precision != MixedPrecision.FP32 && !opt.device().isCuda()) {
            throw new IllegalArgumentException("precision " + precision.label() + " needs the network on a GPU: this "
                    + "optimizer steps on " + opt.device() + " (on the CPU ndopt computes in the model's dtype; use fp32)");
        }
        if (precision != MixedPrecision.FP32 && model.params().get(0).dtype() != org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            throw new IllegalArgumentException("precision " + precision.label() + " needs a float32 model (its float32 "
                    + "parameters are the master copy); this model is " + model.params().get(0).dtype());
        }
        if (opt.device().isCuda()) {
            String why = DeviceModel.problem(model, DeviceParams.of(opt), Math.min(cfg.batchSize(), train.size()));
            if (why != null && precision != MixedPrecision.FP32) {
                throw new IllegalArgumentException("precision " + precision.label() + ": the network cannot run on "
                        + opt.device() + " (" + why + ")");
            }
            if (why != null) {
                LOG.warn("ndopt: the network runs on the CPU ({}); the optimizer steps on {}", why, opt.device());
            }
            onGpu = why == null;
        }
        if (onGpu) {
            DeviceParams dp = DeviceParams.of(opt);
            try (DeviceModel dm = DeviceModel.open(model, dp, precision)) {
                dp.resident(true);
                try {
                    LossScaler scaler = precision != MixedPrecision.FP16 ? null : state.lossScaler == null
                            ? new LossScaler() : new LossScaler(state.lossScaler, LossScaler.GROWTH_INTERVAL);
                    ms = loop(state, train.size(), val, new OnDevice(dm, dp, train, scaler));
                } finally {
                    dp.resident(false);                  // values down: the host parameters are current again
                }
            }
        } else {
            ms = loop(state, train.size(), val, new OnHost(train));
        }
        return result(state, ms);
    }

    /** Trains on a stream from its start; its validation rows are the validation set. */
    public TrainResult fit(StreamingDataset train) { return resume(new TrainState(), train); }

    /**
     * Continues from {@code state} on batches streamed from {@code train} ({@link StreamingDataset}: its order of
     * epoch e is a pure function of the seed and e, so (epoch, batch) of the state is the position in the stream,
     * and a resumed run continues bit for bit). The seed is the stream's; {@code cfg.seed()} seeds nothing here.
     * The network runs on the CPU (with a GPU optimizer, only the optimizer steps there). Each epoch's training
     * loss and metric are computed over the training rows streamed in file order, in batches of about 1 MiB of
     * features (at most 8192 rows, at least a training batch): equal to an in-memory evaluation up to rounding.
     */
    public TrainResult resume(TrainState state, StreamingDataset train) {
        if (cfg.precision() != MixedPrecision.FP32) {
            throw new IllegalArgumentException("precision " + cfg.precision().label() + " needs the network on a GPU: "
                    + "a streamed run trains the network on the CPU (use fp32, or load the data in memory)");
        }
        if (opt.device().isCuda()) {
            LOG.info("ndopt: the network runs on the CPU (streamed data); the optimizer steps on {}", opt.device());
        }
        try (Streamed on = new Streamed(train)) {
            return result(state, loop(state, train.trainRows(), train.validation(), on));
        }
    }

    private TrainResult result(TrainState state, double[] ms) {
        if (cfg.patience() > 0 && cfg.restoreBest() && state.bestParams != null) {
            for (Param p : model.params()) p.setValue(state.bestParams.get(p.name()));
        }
        return new TrainResult(state.history(), state.bestEpoch, state.stopped, state.globalStep, opt.skippedSteps(),
                opt.nonFiniteSteps(), ms[1], ms[0], SparsityReport.of(model), opt.summary(), model.weightNorm());
    }

    /** Where the forward/backward pass and the evaluation run; the loop is the same for both. */
    private interface Steps {
        /** Epoch {@code e} begins, or resumes at batch {@code fromBatch}. */
        void epoch(int e, int fromBatch);

        /** Forward and backward over rows {@code [from, to)} of the epoch's order: gradients ready for the optimizer. */
        void forwardBackward(int from, int to);

        /** Whether the optimizer steps on these gradients (false: fp16 loss scaling skips the step); records it. */
        boolean takeStep(TrainState state);

        /** The loss of the last {@link #forwardBackward} (after the optimizer's step). */
        double loss();

        /** Makes the host parameters current (before anything reads them). */
        void toHost();

        Metrics.Eval evaluate(Dataset d);

        /** Loss and metric on the training rows. */
        Metrics.Eval evaluateTrain();
    }

    /** The in-memory order of epoch e: a permutation of the training rows seeded by (seed, e). */
    private int[] permutation(int n, int e) { return Dataset.permutation(n, cfg.seed() * 1_000_003L + e); }

    private final class OnHost implements Steps {
        private final Dataset train;
        private int[] perm;
        private double last;

        OnHost(Dataset train) { this.train = train; }

        @Override public void epoch(int e, int fromBatch) { perm = permutation(train.size(), e); }

        @Override public void forwardBackward(int from, int to) {
            last = model.lossAndGradients(train.x(), train.y(), perm, from, to, loss);
        }

        @Override public boolean takeStep(TrainState state) { return true; }
        @Override public double loss() { return last; }
        @Override public void toHost() { }
        @Override public Metrics.Eval evaluate(Dataset d) { return Metrics.evaluate(model, d, loss); }
        @Override public Metrics.Eval evaluateTrain() { return evaluate(train); }
    }

    private final class OnDevice implements Steps {
        private final DeviceModel dm;
        private final DeviceParams dp;
        private final DeviceModel.Data data;
        private final LossScaler scaler;
        private final Dataset train;

        OnDevice(DeviceModel dm, DeviceParams dp, Dataset train, LossScaler scaler) {
            this.dm = dm;
            this.dp = dp;
            this.train = train;
            this.data = dm.upload(train.x(), train.y());
            this.scaler = scaler;
        }

        @Override public boolean takeStep(TrainState state) {
            if (scaler == null) return true;
            boolean step = scaler.update(dm.nonFiniteGradients());
            state.lossScaler = scaler.state();
            return step;
        }

        @Override public void epoch(int e, int fromBatch) { dm.permutation(permutation(train.size(), e)); }

        @Override public void forwardBackward(int from, int to) {
            if (scaler != null) dm.lossScale(scaler.scale(), scaler.inverse());
            dm.lossAndGradients(data, from, to, loss);
        }

        @Override public double loss() { return dm.lastLoss(); }
        @Override public void toHost() { dp.toHost(); }

        @Override public Metrics.Eval evaluate(Dataset d) {
            return Metrics.of(dm.predict(dm.upload(d.x(), d.y())), d, loss);
        }

        @Override public Metrics.Eval evaluateTrain() { return evaluate(train); }
    }

    /** Batches from a stream, on the host; the batches of an epoch come in order, so from/to only check it. */
    private final class Streamed implements Steps, AutoCloseable {
        private final StreamingDataset data;
        private StreamingDataset.Batches batches;
        private double last;

        Streamed(StreamingDataset data) { this.data = data; }

        @Override public void epoch(int e, int fromBatch) {
            close();
            batches = data.batches(e, fromBatch, cfg.batchSize());
        }

        @Override public void forwardBackward(int from, int to) {
            Dataset b = batches.next();
            if (b.size() != to - from) {
                throw new IllegalStateException("stream batch of " + b.size() + " rows, expected " + (to - from));
            }
            last = model.lossAndGradients(b.x(), b.y(), loss);
        }

        @Override public boolean takeStep(TrainState state) { return true; }
        @Override public double loss() { return last; }
        @Override public void toHost() { }
        @Override public Metrics.Eval evaluate(Dataset d) { return Metrics.evaluate(model, d, loss); }

        @Override public Metrics.Eval evaluateTrain() {
            int rows = Math.max(cfg.batchSize(), Math.min(8192, (1 << 18) / Math.max(1, data.features())));
            try (StreamingDataset.Batches all = data.inOrder(rows)) {
                return StreamEvaluation.of(model, loss, all);
            }
        }

        @Override public void close() {
            if (batches != null) batches.close();
            batches = null;
        }
    }

    /**
     * The epochs from {@code state} on. Returns the step time in ms of the first epoch this call ran (JIT
     * warm-up, first allocations) and the median of the later epochs' ({@link TrainResult#msPerStep}); NaN where
     * no such epoch ran.
     */
    private double[] loop(TrainState state, long rows, Dataset val, Steps on) {
        int n = (int) rows, bs = Math.min(cfg.batchSize(), n);
        int batches = (n + bs - 1) / bs;
        model.train();
        List<Double> epochMs = new ArrayList<>();
        opt.trainMode();                                 // a checkpoint holds the eval point: back to the train point
        for (int e = state.epoch; e < cfg.epochs() && !state.stopped; e++) {
            long epochStart = System.nanoTime();
            long stepNanos = 0, steps = 0;
            on.epoch(e, state.batch);
            for (int b = state.batch; b < batches; b++) {
                long t0 = System.nanoTime();
                // dropout masks: a pure function of (seed, step), so resume redraws them
                model.position(state.globalStep);
                on.forwardBackward(b * bs, Math.min(n, (b + 1) * bs));
                if (on.takeStep(state)) opt.step();
                double l = on.loss();
                stepNanos += System.nanoTime() - t0;
                steps++;
                state.globalStep++;
                state.batch = b + 1;
                listener.onStep(e, b, batches, state.globalStep, l);
                if (cfg.checkpointEvery() > 0 && state.globalStep % cfg.checkpointEvery() == 0) {
                    on.toHost();
                    atEvalPoint(() -> listener.onCheckpoint(state));
                }
            }
            state.batch = 0;
            state.epoch = e + 1;
            on.toHost();
            double stepMs = steps == 0 ? Double.NaN : stepNanos / 1e6 / steps;
            epochMs.add(stepMs);
            int epoch = e;
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            atEvalPoint(() -> {
                EpochRecord rec = evaluate(epoch + 1, state.globalStep, val, seconds, stepMs, on);
                state.history.add(rec);
                earlyStopping(state, rec);
                listener.onEpoch(rec, cfg.epochs());
            });
        }
        on.toHost();
        opt.evalMode();                                  // the model to use (a no-op without an eval point)
        if (cfg.checkpointEvery() > 0) listener.onCheckpoint(state);
        return new double[] {epochMs.isEmpty() ? Double.NaN : epochMs.get(0),
                median(epochMs.subList(Math.min(1, epochMs.size()), epochMs.size()))};
    }

    /** The median of {@code v} (NaN if empty). */
    static double median(List<Double> v) {
        if (v.isEmpty()) return Double.NaN;
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** Runs {@code r} with the parameters at the optimizer's eval point, then back at the train point. */
    private void atEvalPoint(Runnable r) {
        opt.evalMode();
        try {
            r.run();
        } finally {
            opt.trainMode();
        }
    }

    private void earlyStopping(TrainState s, EpochRecord rec) {
        if (cfg.patience() == 0 || Double.isNaN(rec.valLoss())) return;
        if (rec.valLoss() < s.bestVal) {
            s.bestVal = rec.valLoss();
            s.bestEpoch = rec.epoch();
            s.badEpochs = 0;
            Map<String, INDArray> best = new LinkedHashMap<>();
            for (Param p : model.params()) best.put(p.name(), p.value().dup());
            s.bestParams = best;
        } else if (++s.badEpochs >= cfg.patience()) {
            s.stopped = true;
        }
    }

    private EpochRecord evaluate(int epoch, long steps, Dataset val, double seconds, double stepMs, Steps on) {
        Metrics.Eval tr, va;
        model.eval();
        try {
            tr = on.evaluateTrain();
            va = val == null ? new Metrics.Eval(Double.NaN, Double.NaN) : on.evaluate(val);
        } finally {
            model.train();
        }
        return new EpochRecord(epoch, steps, opt.currentLr(), tr.loss(), tr.loss() + opt.penalty(), tr.metric(),
                va.loss(), va.metric(), seconds, stepMs, model.weightNorm(), SparsityReport.of(model).zeroFraction());
    }

    private static void checkFinite(Dataset d, String what) {
        for (INDArray a : new INDArray[] {d.x(), d.y()}) {
            if (BooleanIndexing.or(a, Conditions.isNan()) || BooleanIndexing.or(a, Conditions.isInfinite())) {
                for (int i = 0; i < a.rows(); i++) {
                    INDArray row = a.getRow(i);
                    if (BooleanIndexing.or(row, Conditions.isNan())
                            || BooleanIndexing.or(row, Conditions.isInfinite())) {
                        throw new IllegalArgumentException(what + " data: non-finite value in "
                                + (a == d.x() ? "features" : "labels")
                                + " at row " + i);
                    }
                }
            }
        }
    }
}
