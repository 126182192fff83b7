package io.ndopt.internal.run;

import io.ndopt.train.TrainListener;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;

import io.ndopt.backend.Precision;
import io.ndopt.device.MixedPrecision;
import io.ndopt.backend.Threads;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.OptimizerSpec;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.data.CsvDataset;
import io.ndopt.data.DataFormatException;
import io.ndopt.data.Dataset;
import io.ndopt.data.Standardizer;
import io.ndopt.data.StreamingDataset;
import io.ndopt.data.Synthetic;
import io.ndopt.device.Device;
import io.ndopt.internal.io.Npy;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns {@link RunRequest} into data, a model, a loss and an optimizer — the shared set-up of the
 * CLI's train, compare and sweep. Features are standardized with training-split statistics only.
 * Everything that can be checked before training is checked here: the device (first, before the
 * data is read), data, class ids, the size of the model ({@code max_params}) and the optimizer settings.
 * Optimizers are built on the settings' {@code device}; the caller closes them ({@link Optimizer#close()}
 * frees a GPU's memory).
 */
public final class Experiment {
    public final RunRequest settings;
    /** The training rows in memory; null for a streamed experiment ({@link #stream}). */
    public final Dataset train;
    /** The streamed data (training rows read batch by batch, validation rows in {@link #val}); null in memory. */
    public final StreamingDataset stream;
    public final Dataset val;
    public final Loss loss;
    public final DataType dtype;
    /** Where the optimizers of this experiment run ({@code device}), checked usable. */
    public final Device device;
    /** The network's arithmetic on the GPU ({@code precision}); FP32 on the CPU. */
    public final MixedPrecision precision;
    /** SHA-256 of the raw (unsplit, unstandardized) data: a resumed run must see the same data. */
    public final String dataSha256;

    private Experiment(RunRequest s, Dataset train, Dataset val, int classes, String sha) {
        this.settings = s;
        this.device = DeviceChoice.require(s);
        this.dtype = Precision.parse(s.dtype()).dtype();
        this.precision = MixedPrecision.parse(s.get(Keys.PRECISION));
        if (precision != MixedPrecision.FP32 && (!device.isCuda() || dtype != DataType.FLOAT)) {
            throw new ConfigException(s.where().getOrDefault(Keys.PRECISION, "precision") + ": precision "
                    + precision.label() + " needs " + (device.isCuda() ? "dtype float32, not " + s.dtype()
                    : "a GPU (--device cuda): on the CPU ndopt computes in the model's dtype only") + "; use fp32");
        }
        this.loss = lossFor(s, classes);
        this.train = targetsFor(loss, train);
        this.val = val == null ? null : targetsFor(loss, val);
        this.stream = null;
        this.dataSha256 = sha;
        checkModelSize();
        s.optimizerSpec().toBuilder();         // optimizer settings are checked now, not at the first step
    }

    private Experiment(RunRequest s, StreamingDataset data) {
        this.settings = s;
        this.device = DeviceChoice.require(s);
        this.dtype = Precision.parse(s.dtype()).dtype();
        this.precision = MixedPrecision.parse(s.get(Keys.PRECISION));
        if (precision != MixedPrecision.FP32) {
            throw new ConfigException(s.where().getOrDefault(Keys.PRECISION, "precision") + ": precision "
                    + precision.label() + " needs the network on a GPU, and a streamed run (--stream) trains it on "
                    + "the CPU; use fp32, or load the data in memory");
        }
        this.loss = lossFor(s, data.classes());
        this.stream = loss == Loss.SOFTMAX_CROSS_ENTROPY ? data.oneHot() : data;
        this.train = null;
        this.val = stream.validation() == null ? null : checked(stream.validation(), "validation");
        this.dataSha256 = data.sha256();
        checkModelSize();
        s.optimizerSpec().toBuilder();         // optimizer settings are checked now, not at the first step
    }

    /** An experiment on data the caller already split and standardized (cross-validation folds). */
    public static Experiment of(RunRequest s, Dataset train, Dataset val, int classes) {
        return new Experiment(s, checked(train, "training"), val == null ? null : checked(val, "validation"),
                classes, null);
    }

    /**
     * An experiment on the settings' data file or shards streamed for training ({@link StreamingDataset}) with a
     * shuffle buffer of {@code shuffleBuffer} rows.
     */
    public static Experiment streamed(RunRequest s, int shuffleBuffer) {
        DeviceChoice.require(s);
        if (s.data() == null) throw new ConfigException("--stream needs --data (a file, a folder or a glob of shards)");
        return new Experiment(s, StreamingDataset.open(dataFile(s), s.get(Keys.TARGET), s.classification(),
                Precision.parse(s.dtype()).dtype(), s.valSplit(), s.seed(), shuffleBuffer));
    }

    /** Training rows. */
    public long trainRows() { return stream != null ? stream.trainRows() : train.size(); }

    private int features() { return stream != null ? stream.features() : train.features(); }

    private int outputs() { return stream != null ? stream.outputs() : train.outputs(); }

    /** The dataset of the settings, unsplit and unstandardized. */
    public static Dataset loadRaw(RunRequest s) { return load(s, Precision.parse(s.dtype()).dtype()); }

    public Experiment(RunRequest s) { this(s, loadRaw(checkedDevice(s))); }

    private static RunRequest checkedDevice(RunRequest s) {
        DeviceChoice.require(s);
        return s;
    }

    /** Hashes the raw data first (in blocks, no copy), then splits it, freeing the unsplit rows ({@link #split}). */
    private Experiment(RunRequest s, Dataset all) { this(s, all.classes(), sha256(all), split(s, all)); }

    private Experiment(RunRequest s, int classes, String sha, Dataset[] parts) {
        this(s, parts[0], parts[1], classes, sha);
    }

    /**
     * Splits {@code all} (which this experiment owns: its buffers are freed once the rows are gathered into the
     * two parts) and standardizes both parts in place, so the peak is the data twice, not four times.
     */
    private static Dataset[] split(RunRequest s, Dataset all) {
        Dataset tr = all, va = null;
        if (s.valSplit() > 0) {
            Dataset[] parts = all.split(s.valSplit(), s.seed());
            tr = parts[0];
            va = parts[1];
            if (tr.size() == 0 || va.size() == 0) {
                throw new ConfigException("val_split " + s.valSplit() + " of " + all.size() + " rows leaves "
                        + tr.size() + " training and "
                        + va.size() + " validation rows; both need at least one");
            }
            release(all.x());
            release(all.y());
        }
        Standardizer std = Standardizer.fit(tr.x());
        return new Dataset[] {checked(std.applyInPlace(tr), "training"),
                va == null ? null : checked(std.applyInPlace(va), "validation")};
    }

    /** Frees an array's memory now rather than at some later garbage collection. */
    private static void release(INDArray a) {
        if (a.closeable()) a.close();
    }

    /** Standardizing can overflow for finite but huge values; say which feature column, not a shuffled row. */
    private static Dataset checked(Dataset d, String what) {
        INDArray x = d.x();
        for (int j = 0; j < x.columns(); j++) {
            double s = x.getColumn(j).sumNumber().doubleValue(), a = x.getColumn(j).norm2Number().doubleValue();
            if (!Double.isFinite(s) || !Double.isFinite(a)) {
                throw new DataFormatException("data", 0, "feature " + j, what + " features of column " + j
                        + " are non-finite after standardization: values too large for " + x.dataType()
                        + " (rescale the column or use --dtype float64)");
            }
        }
        return d;
    }

    private static Loss lossFor(RunRequest s, int classes) {
        String name = s.get(Keys.LOSS);
        Loss l = name != null ? Loss.parse(name)
                : classes == 0 ? Loss.MSE : classes == 2 ? Loss.BCE_WITH_LOGITS : Loss.SOFTMAX_CROSS_ENTROPY;
        if (l.classification() && classes == 0) {
            throw new ConfigException("loss " + name + " needs a classification dataset (--task classification)");
        }
        if (l == Loss.BCE_WITH_LOGITS && classes > 2) {
            throw new ConfigException("loss bce_with_logits needs exactly two classes (one output), the data has "
                    + classes + "; use --loss cross_entropy");
        }
        return l;
    }

    /**
     * Targets shaped for the loss, so the output layer has one unit per class for a softmax: cross_entropy
     * on two classes gets two one-hot columns (a softmax over a single logit is constant, its loss unbounded
     * below), bce_with_logits keeps one 0/1 column.
     */
    private static Dataset targetsFor(Loss l, Dataset d) {
        return l == Loss.SOFTMAX_CROSS_ENTROPY ? d.oneHot() : d;
    }

    /** The CSV file a request reads (null for a synthetic dataset): the one place that resolves 'data'. */
    public static Path dataFile(RunRequest s) {
        return s.data() == null ? null : Path.of(s.data());
    }

    private static Dataset load(RunRequest s, DataType dt) {
        if (s.data() != null) return CsvDataset.load(dataFile(s), s.get(Keys.TARGET), s.classification(), dt);
        return Synthetic.named(s.get(Keys.DATASET), s.seed(), dt);
    }

    /** Parameters of the model the settings describe, computed without building it (overflow-safe). */
    public long parameterCount() {
        long total = 0, in = features();
        int[] hidden = settings.hiddenSizes();
        for (int k = 0; k <= hidden.length; k++) {
            long out = k < hidden.length ? hidden[k] : outputs();
            total = Math.addExact(total, Math.addExact(Math.multiplyExact(in, out), out));
            in = out;
        }
        return total;
    }

    private void checkModelSize() {
        long max = settings.get(Keys.MAX_PARAMS);
        long n;
        try {
            n = parameterCount();
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > max) {
            throw new ConfigException("hidden " + settings.get(Keys.HIDDEN) + " gives "
                    + (n == Long.MAX_VALUE ? "more than 2^63" : n)
                    + " parameters, above max_params " + max + " (about " + (max * 4 * 4 >> 20)
                    + " MiB of float32 with Adam state);"
                    + " use smaller layers or raise --max-params");
        }
    }

    /** A fresh model for this experiment, seeded by the settings' seed. */
    public Sequential model() {
        Activation act = Activation.parse(settings.get(Keys.ACTIVATION));
        int[] hidden = settings.hiddenSizes();
        String threads = settings.get(Keys.THREADS);
        if (threads != null) Threads.apply(Threads.Split.parse(threads));
        else Threads.ensureConfigured();        // now, not at the first step: the run's header shows the split used
        return Sequential.mlp(features(), hidden, outputs(), act, Activation.IDENTITY,
                settings.dropoutRates(hidden.length),
                dtype, settings.seed());
    }

    /**
     * The optimizer of the settings, or of {@code spec} (compare's --run, already merged with the shared
     * settings), on this experiment's {@link #device}.
     */
    public Optimizer optimizer(Sequential model, OptimizerSpec spec) {
        return built(() -> (spec != null ? spec : settings.optimizerSpec()).toBuilder().device(device)
                .build(model.params()));
    }

    /** Builds {@code spec}'s optimizer for a fresh model on the CPU and drops it: every check of a build, no GPU memory. */
    public void check(OptimizerSpec spec) {
        built(() -> (spec != null ? spec : settings.optimizerSpec()).toBuilder().build(model().params()));
    }

    /**
     * Builds an optimizer of the user's configuration over the model: what the builder rejects there (a group
     * lasso group naming an index the model lacks, weights that do not match the grouping, ...) is the
     * configuration's fault, a {@link ConfigException}.
     */
    private static Optimizer built(Supplier<Optimizer> build) {
        try {
            return build.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("optimizer: " + e.getMessage());
        }
    }

    /** How long one configuration's warm-up may take at most, whatever {@code timing_warmup} says. */
    static final long WARMUP_NANOS = 5_000_000_000L;

    /**
     * Trains a throwaway model with {@code spec}'s optimizer (null: the settings') for {@code timing_warmup} steps or
     * {@link #WARMUP_NANOS}, whichever ends first, through the same training loop as the timed run, so the timed
     * run's step times do not include the JIT compiling that loop. Nothing of it is kept or reported; the timed
     * run's results do not depend on it (its model, shuffles and dropout masks are seeded by the settings alone).
     * Returns the steps taken.
     */
    public long warmUp(OptimizerSpec spec) {
        long steps = settings.get(Keys.TIMING_WARMUP);
        if (steps == 0) return 0;
        long batches = (trainRows() + settings.batchSize() - 1) / settings.batchSize();
        int epochs = (int) Math.min(Integer.MAX_VALUE, (steps + batches - 1) / batches);
        long deadline = System.nanoTime() + WARMUP_NANOS;
        long[] taken = {0};
        Sequential m = model();
        try (Optimizer opt = optimizer(m, spec)) {
            Trainer t = new Trainer(m, loss, opt, new TrainerOptions(epochs, settings.batchSize(), settings.seed(), 0,
                    false, 0)).listener(new TrainListener() {
                        @Override public void onStep(int e, int b, int n, long g, double l) {
                            taken[0] = g;
                            if (g >= steps || System.nanoTime() > deadline) throw new WarmedUp();
                        }
                    });
            if (stream != null) t.fit(stream); else t.fit(train, null);
        } catch (WarmedUp done) {
            // the warm-up's end
        }
        return taken[0];
    }

    /** Ends a warm-up from inside the training loop. */
    private static final class WarmedUp extends RuntimeException {
        WarmedUp() { super(null, null, false, false); }
    }

    public TrainerOptions trainerOptions() {
        return new TrainerOptions(settings.epochs(), settings.batchSize(), settings.seed(), settings.patience(), true,
                settings.checkpointEvery(), precision);
    }

    /** SHA-256 of a dataset's features and targets as .npy bytes: the same data gives the same text anywhere. */
    public static String sha256(Dataset d) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
                Npy.write(d.x(), out);      // in blocks: no copy of the data as bytes
                Npy.write(d.y(), out);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
