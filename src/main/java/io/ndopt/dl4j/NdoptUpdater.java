package io.ndopt.dl4j;

import io.ndopt.internal.validate.Require;
import io.ndopt.optim.Rule;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * ndopt's SGD and Adam rules as a Deeplearning4j updater, with PyTorch's semantics: Adam adds ε to
 * {@code sqrt(v)/sqrt(1 − β2^t)} (DL4J's own Adam adds it to the raw {@code sqrt(v)}), AMSGrad takes
 * the max over the raw v, and SGD's first momentum step is undampened. Use it in a
 * {@code NeuralNetConfiguration} like any built-in updater; AdamW is this updater plus DL4J's own
 * {@code WeightDecay(wd, true)} ({@code u += lr·wd·w} after the updater), proximal L1 is
 * {@link ProximalL1}. Its state lives in DL4J's flat updater view, so {@code ModelSerializer} saves
 * and restores it. Serializable to DL4J's JSON.
 */
public final class NdoptUpdater implements IUpdater {
    public static final String SGD = "sgd";
    public static final String ADAM = "adam";

    private String rule = ADAM;
    private double learningRate = 1e-3;
    private ISchedule learningRateSchedule;
    private double momentum;
    private double dampening;
    private boolean nesterov;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-8;
    private boolean amsgrad;

    /** For DL4J's JSON deserialization. */
    public NdoptUpdater() {}

    public static NdoptUpdater adam(double lr) {
        NdoptUpdater u = new NdoptUpdater();
        u.learningRate = Require.finiteNonNegative("learning_rate", lr);
        return u;
    }

    public static NdoptUpdater adam(double lr, double beta1, double beta2, double eps, boolean amsgrad) {
        NdoptUpdater u = adam(lr);
        new Rule.Adam(beta1, beta2, eps, amsgrad);   // validates with named fields
        u.beta1 = beta1;
        u.beta2 = beta2;
        u.epsilon = eps;
        u.amsgrad = amsgrad;
        return u;
    }

    public static NdoptUpdater sgd(double lr, double momentum, double dampening, boolean nesterov) {
        new Rule.Sgd(momentum, dampening, nesterov);
        NdoptUpdater u = new NdoptUpdater();
        u.rule = SGD;
        u.learningRate = Require.finiteNonNegative("learning_rate", lr);
        u.momentum = momentum;
        u.dampening = dampening;
        u.nesterov = nesterov;
        return u;
    }

    /** This updater with a DL4J learning-rate schedule (the lr passed to regularizations follows it too). */
    public NdoptUpdater withSchedule(ISchedule schedule) {
        NdoptUpdater u = clone();
        u.learningRateSchedule = schedule;
        return u;
    }

    /** The ndopt rule this updater applies. */
    public Rule toRule() {
        return SGD.equals(rule) ? new Rule.Sgd(momentum, dampening, nesterov)
                : new Rule.Adam(beta1, beta2, epsilon, amsgrad);
    }

    @Override public long stateSize(long numParams) { return toRule().stateNames().size() * numParams; }

    @Override public GradientUpdater instantiate(INDArray viewArray, boolean initialize) {
        NdoptGradientUpdater u = new NdoptGradientUpdater(this);
        u.setStateViewArray(viewArray, new long[] {1, viewArray.length() / Math.max(1, toRule().stateNames().size())},
                'c', initialize);
        return u;
    }

    @Override public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
        NdoptGradientUpdater u = new NdoptGradientUpdater(this);
        u.setState(state, initialize);
        return u;
    }

    @Override public NdoptUpdater clone() {
        NdoptUpdater u = new NdoptUpdater();
        u.rule = rule;
        u.learningRate = learningRate;
        u.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
        u.momentum = momentum;
        u.dampening = dampening;
        u.nesterov = nesterov;
        u.beta1 = beta1;
        u.beta2 = beta2;
        u.epsilon = epsilon;
        u.amsgrad = amsgrad;
        return u;
    }

    @Override public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override public boolean hasLearningRate() { return true; }

    @Override public void setLrAndSchedule(double lr, ISchedule schedule) {
        this.learningRate = lr;
        this.learningRateSchedule = schedule;
    }

    public String getRule() { return rule; }
    public double getLearningRate() { return learningRate; }
    public boolean isAmsgrad() { return amsgrad; }

    @Override public boolean equals(Object o) {
        if (!(o instanceof NdoptUpdater u)) return false;
        return rule.equals(u.rule) && learningRate == u.learningRate
                && Objects.equals(learningRateSchedule, u.learningRateSchedule)
                && momentum == u.momentum && dampening == u.dampening && nesterov == u.nesterov && beta1 == u.beta1
                && beta2 == u.beta2 && epsilon == u.epsilon && amsgrad == u.amsgrad;
    }

    @Override public int hashCode() {
        return Objects.hash(rule, learningRate, learningRateSchedule, momentum, dampening, nesterov, beta1, beta2,
                epsilon, amsgrad);
    }

    @Override public String toString() {
        return "NdoptUpdater(" + rule + ", lr=" + learningRate
                + (SGD.equals(rule) ? ", momentum=" + momentum + ", dampening="
                + dampening + ", nesterov=" + nesterov
                : ", betas=" + beta1 + "/" + beta2 + ", eps=" + epsilon + ", amsgrad=" + amsgrad) + ")";
    }
}
