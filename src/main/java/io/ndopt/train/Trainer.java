package io.ndopt.train;

import io.ndopt.data.Dataset;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Mini-batch training of a {@link Sequential} model: seeded shuffles, one optimizer step per batch,
 * a per-epoch evaluation (loss with and without penalty, accuracy or R², on train and validation),
 * early stopping on validation loss, and exact resume from a {@link TrainState}.
 */
public final class Trainer {
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
     * {@code cfg.epochs()}.
     */
    public TrainResult resume(TrainState state, Dataset train, Dataset val) {
        checkFinite(train, "training");
        if (val != null) checkFinite(val, "validation");
        int n = train.size(), bs = Math.min(cfg.batchSize(), n);
        int batches = (n + bs - 1) / bs;
        model.train();
        long stepNanos = 0, steps = 0;
        for (int e = state.epoch; e < cfg.epochs() && !state.stopped; e++) {
            long epochStart = System.nanoTime();
            int[] perm = Dataset.permutation(n, cfg.seed() * 1_000_003L + e);
            for (int b = state.batch; b < batches; b++) {
                long t0 = System.nanoTime();
                // dropout masks: a pure function of (seed, step), so resume redraws them
                model.position(state.globalStep);
                double l = model.lossAndGradients(train.x(), train.y(), perm, b * bs, Math.min(n, (b + 1) * bs), loss);
                opt.step();
                stepNanos += System.nanoTime() - t0;
                steps++;
                state.globalStep++;
                state.batch = b + 1;
                listener.onStep(e, b, batches, state.globalStep, l);
                if (cfg.checkpointEvery() > 0 && state.globalStep % cfg.checkpointEvery() == 0) {
                    listener.onCheckpoint(state);
                }
            }
            state.batch = 0;
            state.epoch = e + 1;
            EpochRecord rec = evaluate(e + 1, state.globalStep, train, val, (System.nanoTime() - epochStart) / 1e9);
            state.history.add(rec);
            earlyStopping(state, rec);
            listener.onEpoch(rec, cfg.epochs());
        }
        if (cfg.checkpointEvery() > 0) listener.onCheckpoint(state);
        if (cfg.patience() > 0 && cfg.restoreBest() && state.bestParams != null) {
            for (Param p : model.params()) p.setValue(state.bestParams.get(p.name()));
        }
        return new TrainResult(state.history(), state.bestEpoch, state.stopped, state.globalStep, opt.skippedSteps(),
                steps == 0 ? Double.NaN : stepNanos / 1e6 / steps, SparsityReport.of(model), opt.summary(),
                model.weightNorm());
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

    private EpochRecord evaluate(int epoch, long steps, Dataset train, Dataset val, double seconds) {
        Metrics.Eval tr, va;
        model.eval();
        try {
            tr = Metrics.evaluate(model, train, loss);
            va = val == null ? new Metrics.Eval(Double.NaN, Double.NaN) : Metrics.evaluate(model, val, loss);
        } finally {
            model.train();
        }
        return new EpochRecord(epoch, steps, opt.currentLr(), tr.loss(), tr.loss() + opt.penalty(), tr.metric(),
                va.loss(), va.metric(), seconds);
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
