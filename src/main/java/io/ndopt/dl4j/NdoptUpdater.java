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
 *
 * <p>The element-wise rules of {@code torch.optim} and Lion come through {@link #of(Rule, double)}
 * ({@code NdoptUpdater.of(Rule.RmsProp.defaults().withCentered(true), 1e-2)}): RMSprop, Adagrad, Adadelta, Adamax,
 * NAdam, RAdam, Rprop and Lion, with the same numbers as ndopt's own optimizer. Their weight decay is DL4J's:
 * coupled ({@code L2Regularization}) or decoupled ({@code WeightDecay(wd, true)}, NAdam's/RAdam's
 * {@code decoupled_weight_decay} and Lion's).
 */
public final class NdoptUpdater implements IUpdater {
    public static final String SGD = "sgd";
    public static final String ADAM = "adam";
    /** The element-wise rules of {@link #of(Rule, double)}, by their {@code torch.optim} names. */
    public static final String RMSPROP = "rmsprop", ADAGRAD = "adagrad", ADADELTA = "adadelta", ADAMAX = "adamax",
            NADAM = "nadam", RADAM = "radam", RPROP = "rprop", LION = "lion";

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
    /** The other element-wise rules' fields by name (RMSprop's alpha, Adagrad's lr_decay, ...), see {@link #of}. */
    private double alpha = 0.99, lrDecay, initialAccumulatorValue, rho = 0.9, momentumDecay = 4e-3;
    private double etaMinus = 0.5, etaPlus = 1.2, stepMin = 1e-6, stepMax = 50;
    private boolean centered;

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

    /** Any element-wise rule of ndopt (SGD, Adam, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam, Rprop, Lion) at rate {@code lr}. */
    public static NdoptUpdater of(Rule r, double lr) {
        NdoptUpdater u = new NdoptUpdater();
        u.learningRate = Require.finiteNonNegative("learning_rate", lr);
        if (r instanceof Rule.Sgd x) {
            u.rule = SGD;
            u.momentum = x.momentum();
            u.dampening = x.dampening();
            u.nesterov = x.nesterov();
        } else if (r instanceof Rule.Adam x) {
            u.betas(x.beta1(), x.beta2()).epsilon = x.eps();
            u.amsgrad = x.amsgrad();
        } else if (r instanceof Rule.RmsProp x) {
            u.rule = RMSPROP;
            u.alpha = x.alpha();
            u.epsilon = x.eps();
            u.momentum = x.momentum();
            u.centered = x.centered();
        } else if (r instanceof Rule.Adagrad x) {
            u.rule = ADAGRAD;
            u.lrDecay = x.lrDecay();
            u.initialAccumulatorValue = x.initialAccumulatorValue();
            u.epsilon = x.eps();
        } else if (r instanceof Rule.Adadelta x) {
            u.rule = ADADELTA;
            u.rho = x.rho();
            u.epsilon = x.eps();
        } else if (r instanceof Rule.Adamax x) {
            u.rule = ADAMAX;
            u.betas(x.beta1(), x.beta2()).epsilon = x.eps();
        } else if (r instanceof Rule.NAdam x) {
            u.rule = NADAM;
            u.betas(x.beta1(), x.beta2()).epsilon = x.eps();
            u.momentumDecay = x.momentumDecay();
        } else if (r instanceof Rule.RAdam x) {
            u.rule = RADAM;
            u.betas(x.beta1(), x.beta2()).epsilon = x.eps();
        } else if (r instanceof Rule.Rprop x) {
            u.rule = RPROP;
            u.etaMinus = x.etaMinus();
            u.etaPlus = x.etaPlus();
            u.stepMin = x.stepMin();
            u.stepMax = x.stepMax();
        } else if (r instanceof Rule.Lion x) {
            u.rule = LION;
            u.betas(x.beta1(), x.beta2());
        } else {
            throw new IllegalArgumentException("NdoptUpdater takes element-wise rules; " + r + " is not one");
        }
        return u;
    }

    private NdoptUpdater betas(double b1, double b2) {
        beta1 = b1;
        beta2 = b2;
        return this;
    }

    /** This updater with a DL4J learning-rate schedule (the lr passed to regularizations follows it too). */
    public NdoptUpdater withSchedule(ISchedule schedule) {
        NdoptUpdater u = clone();
        u.learningRateSchedule = schedule;
        return u;
    }

    /** The ndopt rule this updater applies. */
    public Rule toRule() {
        return switch (rule) {
            case SGD -> new Rule.Sgd(momentum, dampening, nesterov);
            case RMSPROP -> new Rule.RmsProp(alpha, epsilon, momentum, centered);
            case ADAGRAD -> new Rule.Adagrad(lrDecay, initialAccumulatorValue, epsilon);
            case ADADELTA -> new Rule.Adadelta(rho, epsilon);
            case ADAMAX -> new Rule.Adamax(beta1, beta2, epsilon);
            case NADAM -> new Rule.NAdam(beta1, beta2, epsilon, momentumDecay);
            case RADAM -> new Rule.RAdam(beta1, beta2, epsilon);
            case RPROP -> new Rule.Rprop(etaMinus, etaPlus, stepMin, stepMax);
            case LION -> new Rule.Lion(beta1, beta2);
            default -> new Rule.Adam(beta1, beta2, epsilon, amsgrad);
        };
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
        u.alpha = alpha;
        u.lrDecay = lrDecay;
        u.initialAccumulatorValue = initialAccumulatorValue;
        u.rho = rho;
        u.momentumDecay = momentumDecay;
        u.etaMinus = etaMinus;
        u.etaPlus = etaPlus;
        u.stepMin = stepMin;
        u.stepMax = stepMax;
        u.centered = centered;
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
                && beta2 == u.beta2 && epsilon == u.epsilon && amsgrad == u.amsgrad && toRule().equals(u.toRule());
    }

    @Override public int hashCode() {
        return Objects.hash(rule, learningRate, learningRateSchedule, toRule());
    }

    @Override public String toString() {
        return "NdoptUpdater(" + rule + ", lr=" + learningRate + ", " + toRule() + ")";
    }
}
