package io.ndopt.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a training run is: the next epoch and batch, steps taken, history, and early-stopping
 * bookkeeping. The shuffle of epoch e is a pure function of (seed, e), so (epoch, batch) is the
 * whole RNG state; together with parameters and optimizer state this resumes a run exactly.
 */
public final class TrainState {
    int epoch;
    int batch;
    long globalStep;
    final List<EpochRecord> history = new ArrayList<>();
    double bestVal = Double.POSITIVE_INFINITY;
    int bestEpoch = -1;
    int badEpochs;
    boolean stopped;
    Map<String, INDArray> bestParams;
    /** float16 training's loss scaler (null otherwise). */
    LossScaler.State lossScaler;

    public TrainState() {}

    /** As the 9-argument constructor, with float16 training's loss-scaler state ({@code null}: none). */
    public TrainState(int epoch, int batch, long globalStep, List<EpochRecord> history, double bestVal, int bestEpoch,
                      int badEpochs, boolean stopped, Map<String, INDArray> bestParams, LossScaler.State lossScaler) {
        this(epoch, batch, globalStep, history, bestVal, bestEpoch, badEpochs, stopped, bestParams);
        this.lossScaler = lossScaler;
    }

    public TrainState(int epoch, int batch, long globalStep, List<EpochRecord> history, double bestVal, int bestEpoch,
                      int badEpochs, boolean stopped, Map<String, INDArray> bestParams) {
        if (epoch < 0 || batch < 0 || globalStep < 0) {
            throw new IllegalArgumentException("train state: negative counters");
        }
        this.epoch = epoch;
        this.batch = batch;
        this.globalStep = globalStep;
        this.history.addAll(history);
        this.bestVal = bestVal;
        this.bestEpoch = bestEpoch;
        this.badEpochs = badEpochs;
        this.stopped = stopped;
        this.bestParams = bestParams == null ? null : new LinkedHashMap<>(bestParams);
    }

    public int epoch() { return epoch; }
    public int batch() { return batch; }
    public long globalStep() { return globalStep; }
    public List<EpochRecord> history() { return List.copyOf(history); }
    public double bestVal() { return bestVal; }
    public int bestEpoch() { return bestEpoch; }
    public int badEpochs() { return badEpochs; }
    public boolean stopped() { return stopped; }
    public Map<String, INDArray> bestParams() { return bestParams; }
    /** The loss scaler's state of a float16 run (null for other precisions). */
    public LossScaler.State lossScaler() { return lossScaler; }
    /** Steps the loss scaler skipped (each counts in {@link #globalStep} but not in the optimizer's step count). */
    public long scalerSkippedSteps() { return lossScaler == null ? 0 : lossScaler.skippedSteps(); }
}
