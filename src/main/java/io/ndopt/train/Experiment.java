package io.ndopt.train;

import io.ndopt.backend.Precision;
import io.ndopt.data.CsvDataset;
import io.ndopt.data.Dataset;
import io.ndopt.data.Standardizer;
import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.optim.OptimizerSpec;
import io.ndopt.param.Role;
import io.ndopt.regularize.GroupLassoSpec;
import io.ndopt.schedule.ScheduleSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Turns {@link TrainSettings} into data, a model, a loss and an optimizer — the shared set-up of the
 * CLI's train, compare and sweep. Features are standardized with training-split statistics only.
 */
public final class Experiment {
    public final TrainSettings settings;
    public final Dataset train;
    public final Dataset val;
    public final Loss loss;
    public final DataType dtype;

    private Experiment(TrainSettings s, Dataset train, Dataset val, int classes) {
        this.settings = s;
        this.dtype = Precision.parse(s.dtype()).dtype();
        this.train = train;
        this.val = val;
        this.loss = lossFor(s, classes);
    }

    /** An experiment on data the caller already split and standardized (cross-validation folds). */
    public static Experiment of(TrainSettings s, Dataset train, Dataset val, int classes) {
        return new Experiment(s, train, val, classes);
    }

    /** The dataset of the settings, unsplit and unstandardized. */
    public static Dataset loadRaw(TrainSettings s) { return load(s, Precision.parse(s.dtype()).dtype()); }

    public Experiment(TrainSettings s) {
        this.settings = s;
        this.dtype = Precision.parse(s.dtype()).dtype();
        Dataset all = load(s, dtype);
        if (s.valSplit() == null || s.valSplit() < 0 || s.valSplit() >= 1) {
            throw new IllegalArgumentException("--val-split must be in [0, 1), got " + s.valSplit());
        }
        Dataset tr = all, va = null;
        if (s.valSplit() > 0) {
            Dataset[] parts = all.split(s.valSplit(), s.seed());
            tr = parts[0];
            va = parts[1];
        }
        Standardizer std = Standardizer.fit(tr.x());
        this.train = std.apply(tr);
        this.val = va == null ? null : std.apply(va);
        this.loss = lossFor(s, all.classes());
    }

    private static Loss lossFor(TrainSettings s, int classes) {
        Loss l = s.loss() != null ? Loss.parse(s.loss())
                : classes == 0 ? Loss.MSE : classes == 2 ? Loss.BCE_WITH_LOGITS : Loss.SOFTMAX_CROSS_ENTROPY;
        if (l.classification() && classes == 0) throw new IllegalArgumentException("loss " + s.loss() + " needs a classification dataset (--task classification)");
        if (l == Loss.BCE_WITH_LOGITS && classes > 2) throw new IllegalArgumentException("bce_with_logits needs two classes, the data has " + classes);
        return l;
    }

    private static Dataset load(TrainSettings s, DataType dt) {
        if (s.data() != null) {
            boolean cls = "classification".equalsIgnoreCase(s.task());
            if (s.task() != null && !cls && !"regression".equalsIgnoreCase(s.task())) {
                throw new IllegalArgumentException("unknown task '" + s.task() + "' (valid: regression, classification)");
            }
            return CsvDataset.load(Path.of(s.data()), s.target(), cls, dt);
        }
        return Synthetic.named(s.dataset(), s.seed(), dt);
    }

    /** A fresh model for this experiment, seeded by the settings' seed. */
    public Sequential model() {
        Activation act = Activation.parse(settings.activation());
        return Sequential.mlp(train.features(), settings.hiddenSizes(), train.outputs(), act, Activation.IDENTITY, dtype, settings.seed());
    }

    /** The optimizer of the settings, or of {@code spec} (compare's --run) with the settings as defaults. */
    public Optimizer optimizer(Sequential model, OptimizerSpec spec) {
        OptimizerSpec o = spec != null ? spec : OptimizerSpec.fromMap(optimizerFields(settings));
        ScheduleSpec sched = settings.schedule() == null ? null : ScheduleSpec.parse(settings.schedule());
        OptimizerBuilder b = o.toBuilder(sched).clipNorm(settings.clipNorm() == null ? 0 : settings.clipNorm());
        if (Boolean.TRUE.equals(settings.decayBias())) b.regularize(Role.WEIGHT, Role.BIAS);
        if (settings.groupLasso() != null) b.groupLasso(GroupLassoSpec.parse(settings.groupLasso()));
        if (settings.penaltySchedule() != null) PenaltySchedules.parse(settings.penaltySchedule()).forEach(b::penaltySchedule);
        return b.build(model.params());
    }

    static Map<String, Object> optimizerFields(TrainSettings s) {
        String type = s.optimizer().toLowerCase(Locale.ROOT);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", type);
        f.put("lr", s.lr());
        if (type.equals("sgd")) {
            f.put("momentum", s.momentum());
            f.put("dampening", s.dampening());
            f.put("nesterov", s.nesterov());
        } else if (type.startsWith("adam")) {
            double[] b = s.betaPair();
            f.put("betas", java.util.List.of(b[0], b[1]));
            f.put("eps", s.eps());
            f.put("amsgrad", s.amsgrad());
        } else if (!type.equals("prox_sgd")) {
            throw new IllegalArgumentException("unknown optimizer '" + s.optimizer() + "' (valid: sgd, adam, adamw, prox_sgd)");
        }
        if (s.weightDecay() != null && !type.equals("prox_sgd")) f.put("weight_decay", s.weightDecay());
        if (s.decayMode() != null) f.put("decay_mode", s.decayMode());
        f.put("l1", s.l1());
        f.put("l2", s.l2());
        return f;
    }

    public TrainConfig trainConfig() {
        return new TrainConfig(settings.epochs(), settings.batchSize(), settings.seed(), settings.patience(), true,
                settings.checkpointEvery() == null ? 0 : settings.checkpointEvery());
    }

}
