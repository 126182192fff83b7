package io.ndopt.internal.config;

import io.ndopt.optim.Optimizer;
import io.ndopt.train.TrainerOptions;
import io.ndopt.internal.config.Setting.Bound;
import io.ndopt.device.Device;
import io.ndopt.optim.Rule;
import io.ndopt.regularize.GroupLasso;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every configuration key of ndopt, declared once. The same declaration gives the command-line flag
 * of train/compare/sweep ({@code --batch-size}), the config-file key ({@code batch_size}), the field
 * of a {@code --run adam:lr=1e-3} spec and of a conformance spec's {@code optimizer} object
 * (optimizer fields only), the type check, the range check and the default. Nothing else restates them.
 *
 * <p><b>Adding an option</b> is one declaration here plus the line that uses it:
 * <pre>
 *   public static final Setting&lt;Double&gt; DROPOUT = def("dropout", Kind.DOUBLE).dflt(0.0)
 *           .bound("in [0, 1)", v -&gt; v &gt;= 0 &amp;&amp; v &lt; 1).help("Dropout rate of hidden layers.").add();
 * </pre>
 * then read it with {@code settings.get(Keys.DROPOUT)} (training) or {@code spec.get(Keys.X)}
 * (optimizer fields: {@code .optimizers("sgd", ...)} makes it a field of those types, and giving it
 * for another type is a "no effect" error). Declare {@code .resumable()} if a resumed run may change
 * it; every other key must match the checkpoint. Cross-key rules ("dampening needs momentum") live in
 * {@code RunRequest.validate} and {@code OptimizerSpec}'s constructor. Declaration order is help order.
 *
 * <p><b>Adding an update rule</b> touches these places, in this order (each has a test that fails until it is done):
 * <ol>
 *   <li>{@code optim.Rule}: the record (fields, validation, {@code stateNames}, its state view) in the sealed list;
 *       {@code optim.ReferenceUpdate}: the readable reference, the meaning of the rule (an element-wise rule
 *       beyond SGD and Adam: a method of {@code optim.ReferenceRules});</li>
 *   <li>{@code internal.kernel.KernelScalars.Family} and its factory (scalar order, flags, {@code kernelSlots}), and
 *       {@code optim.KernelArgs} (the rule's translation; for the element-wise family {@code optim.RuleScalars},
 *       whose step-dependent scalars the reference uses too); {@code src/main/templates/VectorKernels.java.template},
 *       {@code DtypeKernels} and {@code ViewKernels} (the CPU fused kernel);</li>
 *   <li>the CUDA kernel in {@code src/main/resources/io/ndopt/internal/cuda/optim.cu} and its entry points in
 *       {@code internal.cuda.KernelSource.ENTRY_POINTS};</li>
 *   <li>{@code optim.Optimizer}'s factory method and the builder's options;</li>
 *   <li>{@code OptimizerType}, its fields here ({@code .optimizers(...)}), {@code OptimizerSpec.toBuilder};</li>
 *   <li>recipes in {@code internal.gpusuite.Recipes} (every parity, resume, property, checkpoint and GPU check
 *       runs them) and conformance cases with PyTorch trajectories under {@code src/test/resources/conformance}.</li>
 * </ol>
 */
public final class Keys {
    private static final List<Setting<?>> ALL = new ArrayList<>();
    private static final Map<String, Setting<?>> BY_NAME = new LinkedHashMap<>();
    /** The library's trainer defaults: the CLI's defaults are these, declared once. */
    private static final TrainerOptions TRAINER = TrainerOptions.defaults();
    private static final Set<String> ALL_OPTIMIZERS = OptimizerType.spellings();
    private static final Rule.Adam ADAM = Rule.Adam.defaults();
    private static final Rule.Lion LION = Rule.Lion.defaults();
    private static final Rule.Muon MUON = Rule.Muon.defaults();

    // data and model
    public static final Setting<String> DATA = def("data", Kind.STRING)
            .help("Data file: CSV with a header row, .npy/.npz (NumPy) or .parquet (in a config file: relative to that"
                    + " file's folder).").add();
    public static final Setting<String> TARGET =
            def("target", Kind.STRING).help("Target column of --data (default: last column).").add();
    public static final Setting<String> TASK =
            def("task", Kind.choice("regression", "classification")).dflt("regression")
            .help("regression or classification (class labels 0..K-1) for --data.").add();
    public static final Setting<String> DATASET =
            def("dataset", Kind.choice("moons", "spirals", "blobs", "sparse", "poly")).dflt("moons")
            .help("Synthetic dataset when there is no --data: moons, spirals, blobs, sparse, poly.").add();
    public static final Setting<List<Integer>> HIDDEN = def("hidden", Kind.SIZES).dflt(List.of(64, 64))
            .help("Hidden layer sizes, e.g. 64,64 ('none' for a linear model).").add();
    public static final Setting<String> ACTIVATION =
            def("activation", Kind.choice("identity", "relu", "leaky_relu", "tanh", "sigmoid", "softmax"))
            .dflt("relu").help("Hidden-layer activation: identity, relu, leaky_relu, tanh, sigmoid, softmax.").add();
    public static final Setting<String> LOSS = def("loss", Kind.choice("mse", "bce_with_logits", "cross_entropy"))
            .help("Loss (default: mse for regression, bce_with_logits for 2 classes, cross_entropy above).").add();
    public static final Setting<List<Double>> DROPOUT = def("dropout", Kind.NUMBERS).dflt(List.of())
            .bound("rates in [0, 1)", v -> v.stream().allMatch(r -> r >= 0 && r < 1))
            .help("Inverted dropout after the hidden layers: one rate for all, or one per hidden layer (e.g. 0.2,0.1).")
                    .add();
    public static final Setting<Long> MAX_PARAMS =
            def("max_params", Kind.LONG).dflt(50_000_000L).bound("> 0", v -> v > 0).resumable()
            .help("Refuse models with more parameters than this (memory guard).").add();

    // optimizer
    public static final Setting<String> OPTIMIZER =
            def("optimizer", Kind.choice(OptimizerType.spellings().toArray(String[]::new))).dflt(OptimizerType.ADAMW.spelling())
            .help("Optimizer: " + String.join(", ", OptimizerType.spellings()) + ".").add();
    public static final Setting<Double> LR =
            def("lr", Kind.DOUBLE).dflt(Keys::defaultLr).bound(">= 0", v -> v >= 0).optimizers(ALL_OPTIMIZERS)
            .help("Learning rate (the base rate of --schedule; default 1e-3, or PyTorch's for rmsprop, adagrad, "
                    + "rprop 1e-2, adadelta 1, adamax, nadam 2e-3, lion 1e-4).").add();
    public static final Setting<Double> MOMENTUM =
            def("momentum", Kind.DOUBLE).dflt(type -> "muon".equals(type) ? MUON.momentum() : 0.0)
            .bound(">= 0", v -> v >= 0).optimizers("sgd", "rmsprop", "muon")
            .help("SGD or RMSprop momentum; Muon's (default 0.95).").add();
    public static final Setting<Double> DAMPENING =
            def("dampening", Kind.DOUBLE).dflt(0.0).bound("in [0, 1]", v -> v >= 0 && v <= 1)
            .optimizers("sgd").help("SGD dampening (needs momentum).").add();
    public static final Setting<Boolean> NESTEROV = def("nesterov", Kind.BOOL).dflt(type -> "muon".equals(type))
            .optimizers("sgd", "muon")
            .help("SGD Nesterov momentum (needs momentum > 0, dampening 0); Muon's (default true).").add();
    public static final Setting<List<Double>> BETAS = def("betas", Kind.PAIR).dflt(List.of(ADAM.beta1(), ADAM.beta2()))
            .dflt(type -> "lion".equals(type) ? List.of(LION.beta1(), LION.beta2()) : List.of(ADAM.beta1(), ADAM.beta2()))
            .bound("two numbers in [0, 1)", v -> v.stream().allMatch(b -> b >= 0 && b < 1))
            .optimizers("adam", "adamw", "adamax", "nadam", "radam", "lion", "schedule_free_adamw")
            .help("Betas b1,b2 (also b1/b2) of adam, adamw, adamax, nadam, radam, schedule_free_adamw (0.9,0.999) and "
                    + "lion (0.9,0.99).").add();
    public static final Setting<Double> EPS =
            def("eps", Kind.DOUBLE).dflt(type -> "adagrad".equals(type) ? Rule.Adagrad.defaults().eps()
                    : "adadelta".equals(type) ? Rule.Adadelta.defaults().eps() : "muon".equals(type) ? MUON.eps() : ADAM.eps())
            .bound(">= 0", v -> v >= 0).optimizers("adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam",
                    "radam", "schedule_free_adamw", "muon")
            .help("Epsilon of the denominator (default 1e-8; adagrad 1e-10, adadelta 1e-6); Muon's Newton-Schulz "
                    + "epsilon (1e-7).").add();
    public static final Setting<Boolean> AMSGRAD =
            def("amsgrad", Kind.BOOL).dflt(false).optimizers("adam", "adamw").help("Adam AMSGrad.").add();
    public static final Setting<Double> ALPHA = def("alpha", Kind.DOUBLE).dflt(Rule.RmsProp.defaults().alpha())
            .bound("in [0, 1]", v -> v >= 0 && v <= 1).optimizers("rmsprop").help("RMSprop smoothing constant.").add();
    public static final Setting<Boolean> CENTERED = def("centered", Kind.BOOL).dflt(false).optimizers("rmsprop")
            .help("RMSprop centered (normalize by the estimated variance).").add();
    public static final Setting<Double> LR_DECAY = def("lr_decay", Kind.DOUBLE).dflt(0.0).bound(">= 0", v -> v >= 0)
            .optimizers("adagrad").help("Adagrad learning-rate decay: lr/(1 + (t-1)·lr_decay).").add();
    public static final Setting<Double> INITIAL_ACCUMULATOR_VALUE = def("initial_accumulator_value", Kind.DOUBLE)
            .dflt(0.0).bound(">= 0", v -> v >= 0).optimizers("adagrad").help("Adagrad's starting sum of squares.").add();
    public static final Setting<Double> RHO = def("rho", Kind.DOUBLE).dflt(Rule.Adadelta.defaults().rho())
            .bound("in [0, 1]", v -> v >= 0 && v <= 1).optimizers("adadelta").help("Adadelta's decay rate ρ.").add();
    public static final Setting<Double> MOMENTUM_DECAY = def("momentum_decay", Kind.DOUBLE)
            .dflt(Rule.NAdam.defaults().momentumDecay()).bound(">= 0", v -> v >= 0).optimizers("nadam")
            .help("NAdam momentum decay ψ.").add();
    public static final Setting<Boolean> DECOUPLED_WEIGHT_DECAY = def("decoupled_weight_decay", Kind.BOOL).dflt(false)
            .optimizers("nadam", "radam").help("NAdam/RAdam: weight decay as w·(1 − lr·wd) instead of in the gradient.")
            .add();
    public static final Setting<List<Double>> ETAS = def("etas", Kind.PAIR)
            .dflt(List.of(Rule.Rprop.defaults().etaMinus(), Rule.Rprop.defaults().etaPlus()))
            .bound("0 < eta_minus < 1 < eta_plus", v -> v.get(0) > 0 && v.get(0) < 1 && v.get(1) > 1)
            .optimizers("rprop").help("Rprop step-size factors eta_minus,eta_plus.").add();
    public static final Setting<List<Double>> STEP_SIZES = def("step_sizes", Kind.PAIR)
            .dflt(List.of(Rule.Rprop.defaults().stepMin(), Rule.Rprop.defaults().stepMax()))
            .bound("0 <= min <= max", v -> v.get(0) >= 0 && v.get(1) >= v.get(0))
            .optimizers("rprop").help("Rprop step-size bounds min,max.").add();
    public static final Setting<Double> BETA2_DECAY = def("beta2_decay", Kind.DOUBLE).dflt(-0.8).bound("<= 0", v -> v <= 0)
            .optimizers("adafactor").help("Adafactor: the second moment's weight at step t is t^beta2_decay.").add();
    public static final Setting<Double> EPS1 = def("eps1", Kind.DOUBLE).bound(">= 0", v -> v >= 0)
            .optimizers("adafactor")
            .help("Adafactor: floor of the variance (squared) and of the row mean (default: the dtype's machine "
                    + "epsilon; a spec's eps [eps1 or null, eps2] also reads).").add();
    public static final Setting<Double> EPS2 = def("eps2", Kind.DOUBLE).dflt(1e-3).bound(">= 0", v -> v >= 0)
            .optimizers("adafactor").help("Adafactor: floor of RMS(w) in the step size.").add();
    public static final Setting<Double> CLIP_THRESHOLD = def("d", Kind.DOUBLE).dflt(1.0).bound(">= 1", v -> v >= 1)
            .optimizers("adafactor").help("Adafactor: the update's RMS is clipped to d.").add();
    public static final Setting<List<Double>> NS_COEFFICIENTS = def("ns_coefficients", Kind.NUMBERS)
            .dflt(List.of(MUON.a(), MUON.b(), MUON.c())).bound("three numbers", v -> v.size() == 3)
            .optimizers("muon").help("Muon: Newton-Schulz coefficients a,b,c.").add();
    public static final Setting<Integer> NS_STEPS = def("ns_steps", Kind.INT).dflt(MUON.nsSteps())
            .bound("in [0, 100]", v -> v >= 0 && v <= 100).optimizers("muon").help("Muon: Newton-Schulz iterations.")
            .add();
    public static final Setting<String> ADJUST_LR_FN = def("adjust_lr_fn", Kind.choice("original", "match_rms_adamw"))
            .dflt("original").optimizers("muon")
            .help("Muon: lr·sqrt(max(1, A/B)) (original) or lr·0.2·sqrt(max(A, B)) (match_rms_adamw).").add();
    public static final Setting<String> MUON_PARAMS = def("muon_params", Kind.STRING).dflt("hidden")
            .bound("hidden, weights or names:REGEX", v -> v.equals("hidden") || v.equals("weights")
                    || v.startsWith("names:"))
            .optimizers("muon").help("Muon: which parameters it takes, the rest go to the aux AdamW: hidden (2-D "
                    + "weights but the first and last layer's), weights (every 2-D weight) or names:REGEX.").add();
    public static final Setting<Double> AUX_LR = def("aux_lr", Kind.DOUBLE).dflt(MUON.auxLr()).bound(">= 0", v -> v >= 0)
            .optimizers("muon").help("Muon: the aux AdamW's lr (follows the lr schedule's shape).").add();
    public static final Setting<List<Double>> AUX_BETAS = def("aux_betas", Kind.PAIR)
            .dflt(List.of(ADAM.beta1(), ADAM.beta2())).bound("two numbers in [0, 1)",
                    v -> v.stream().allMatch(b -> b >= 0 && b < 1)).optimizers("muon").help("Muon: the aux AdamW's betas.")
            .add();
    public static final Setting<Double> AUX_EPS = def("aux_eps", Kind.DOUBLE).dflt(ADAM.eps()).bound(">= 0", v -> v >= 0)
            .optimizers("muon").help("Muon: the aux AdamW's eps.").add();
    public static final Setting<Double> AUX_WEIGHT_DECAY = def("aux_weight_decay", Kind.DOUBLE).dflt(0.0)
            .bound(">= 0", v -> v >= 0).optimizers("muon")
            .help("Muon: the aux AdamW's decoupled weight decay (regularized parameters only).").add();
    public static final Setting<Boolean> AUX_AMSGRAD = def("aux_amsgrad", Kind.BOOL).dflt(false).optimizers("muon")
            .help("Muon: the aux AdamW's AMSGrad.").add();
    public static final Setting<Integer> WARMUP_STEPS = def("warmup_steps", Kind.INT).dflt(0).bound(">= 0", v -> v >= 0)
            .optimizers("schedule_free_adamw").help("Schedule-free AdamW: linear lr warmup over this many steps.").add();
    public static final Setting<Double> SF_R = def("r", Kind.DOUBLE).dflt(0.0).bound(">= 0", v -> v >= 0)
            .optimizers("schedule_free_adamw").help("Schedule-free AdamW: averaging weight grows as (k+1)^r.").add();
    public static final Setting<Double> WEIGHT_LR_POWER = def("weight_lr_power", Kind.DOUBLE).dflt(2.0)
            .bound(">= 0", v -> v >= 0).optimizers("schedule_free_adamw")
            .help("Schedule-free AdamW: averaging weight grows as lr_max^weight_lr_power.").add();
    public static final Setting<Double> WEIGHT_DECAY = def("weight_decay", Kind.DOUBLE).alias("wd")
            .dflt(type -> "adamw".equals(type) ? Optimizer.ADAMW_WEIGHT_DECAY
                    : "muon".equals(type) ? Optimizer.MUON_WEIGHT_DECAY : 0.0).bound(">= 0", v -> v >= 0)
                    .optimizers("sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam", "lion",
                            "schedule_free_adamw", "adafactor", "muon")
            .help("Weight decay: coupled (L2 in the gradient) for sgd/adam and the torch.optim rules, decoupled for adamw, "
                    + "lion, schedule_free_adamw, adafactor and muon, and for nadam/radam with decoupled_weight_decay "
                    + "(default 0.01 for adamw, 0.1 for muon, else 0).").add();
    public static final Setting<String> DECAY_MODE =
            def("decay_mode", Kind.choice("coupled", "decoupled", "decoupled_schedule_only"))
            .optimizers("sgd", "adam", "adamw", "schedule_free_adamw", "adafactor", "muon")
                    .help("Where weight decay sits: coupled, decoupled, decoupled_schedule_only (default: coupled "
                            + "for sgd/adam, decoupled for adamw).").add();
    public static final Setting<Double> L1 =
            def("l1", Kind.DOUBLE).dflt(0.0).bound(">= 0", v -> v >= 0).optimizers(ALL_OPTIMIZERS)
            .help("Proximal L1 strength (exact zeros).").add();
    public static final Setting<Double> L2 =
            def("l2", Kind.DOUBLE).dflt(0.0).bound(">= 0", v -> v >= 0).optimizers(ALL_OPTIMIZERS)
            .help("L2 penalty (l2/2)||w||^2 through the gradient.").add();
    public static final Setting<Boolean> MAXIMIZE = def("maximize", Kind.BOOL).dflt(false).optimizers(ALL_OPTIMIZERS)
            .help("Ascend instead of descend.").add();
    public static final Setting<Boolean> DECAY_BIAS = def("decay_bias", Kind.BOOL).alias("regularize_bias").dflt(false)
            .optimizers(ALL_OPTIMIZERS).help("Also decay/penalize biases (default: weights only).").add();
    public static final Setting<GroupLasso> GROUP_LASSO =
            def("group_lasso", Kind.GROUP_LASSO).optimizers(ALL_OPTIMIZERS)
            .help("Group lasso λ[:rows|cols] (default rows; in files also {lambda, groups, weights}): a prox after "
                    + "each update, whole groups become exact zeros.").add();
    public static final Setting<Map<String, ScheduleSpec>> PENALTY_SCHEDULE =
            def("penalty_schedule", Kind.PENALTY_SCHEDULE).optimizers(ALL_OPTIMIZERS)
            .help("Schedules of penalty strengths, PENALTY=SCHEDULE[;...] for l1, l2, group_lasso, weight_decay "
                    + "(e.g. l1=linear_warmup:warmup=200).").add();
    public static final Setting<ScheduleSpec> SCHEDULE = def("schedule", Kind.SCHEDULE).optimizers(ALL_OPTIMIZERS)
            .help("constant, step:step_size=N,gamma=G, exponential:gamma=G, cosine:t_max=N,eta_min=E, "
                    + "warmup_cosine:warmup=W,total=T, linear_warmup:warmup=W.").add();
    public static final Setting<Double> CLIP_NORM =
            def("clip_norm", Kind.DOUBLE).alias("clip_global_norm").dflt(0.0).bound(">= 0", v -> v >= 0)
            .optimizers(ALL_OPTIMIZERS).help("Global gradient-norm clipping threshold (0 = off).").add();
    public static final Setting<String> NONFINITE =
            def("nonfinite", Kind.choice("error", "skip", "propagate")).dflt("error").resumable()
            .optimizers(ALL_OPTIMIZERS)
                    .help("A NaN/Inf gradient stops the run (error), its step is skipped and counted (skip), or, "
                            + "as in torch.optim, nothing is checked first and it goes into the parameters, counted "
                            + "(propagate: on the CPU's fused path one pass over the gradients instead of two when clip_norm is 0)."
                            ).add();

    // training loop
    public static final Setting<Integer> EPOCHS =
            def("epochs", Kind.INT).dflt(TRAINER.epochs()).bound(">= 1", v -> v >= 1).resumable()
            .help("Epochs (a resumed run continues up to this many in total).").add();
    public static final Setting<Integer> BATCH_SIZE =
            def("batch_size", Kind.INT).dflt(TRAINER.batchSize()).bound(">= 1", v -> v >= 1).help("Mini-batch size.").add();
    public static final Setting<Long> SEED =
            def("seed", Kind.LONG).dflt(TRAINER.seed()).help("Seed for data, init and shuffles.").add();
    public static final Setting<Double> VAL_SPLIT =
            def("val_split", Kind.DOUBLE).dflt(0.2).bound("in [0, 1)", v -> v >= 0 && v < 1)
            .help("Validation fraction.").add();
    public static final Setting<Integer> PATIENCE =
            def("patience", Kind.INT).dflt(TRAINER.patience()).bound(">= 0", v -> v >= 0).resumable()
            .help("Early-stopping patience in epochs (0 = off; needs validation data).").add();
    public static final Setting<String> DTYPE =
            def("dtype", Kind.choice("float32", "float64")).dflt("float32")
            .help("Floating-point type: float32 or float64.").add();
    public static final Setting<Long> CHECKPOINT_EVERY =
            def("checkpoint_every", Kind.LONG).dflt(TRAINER.checkpointEvery()).bound(">= 0", v -> v >= 0).resumable()
            .help("train: write DIR/checkpoint/checkpoint.zip every N steps (0 = only at the end of a resumed run).")
                    .add();

    public static final Setting<Boolean> PRUNE = def("prune", Kind.BOOL).dflt(false).resumable()
            .help("train: report the network's structure (unread inputs, dead units) and write the pruned network "
                    + "that predicts the same.").add();
    public static final Setting<String> THREADS = def("threads", Kind.THREADS).resumable()
            .help("CPU threads: BLAS or BLAS,ND4J, each 1 to 1024 (default: every core for BLAS, 1 for ND4J).").add();
    public static final Setting<Long> TIMING_WARMUP =
            def("timing_warmup", Kind.LONG).dflt(500L).bound(">= 0", v -> v >= 0).resumable()
            .help("train, compare: steps of each optimizer on a throwaway copy of the model before the timed run, so "
                    + "ms/step leaves out the JIT warm-up (at most 5 s each; 0 = none).").add();
    public static final Setting<String> TENSORBOARD = def("tensorboard", Kind.STRING).resumable()
            .help("Folder of the TensorBoard event files (default: tensorboard/ in --out; 'none' for no event files); "
                    + "compare and sweep write one subfolder per run. View: tensorboard --logdir FOLDER.").add();
    public static final Setting<Device> DEVICE = def("device", Kind.DEVICE).dflt(Device.cpu()).resumable()
            .help("Where training runs: cpu, cuda or cuda:N (ndopt's CUDA engine: JDK 22+ and an NVIDIA driver). "
                    + "Checkpoints are device-independent: a resumed run may change it.").add();
    public static final Setting<String> PRECISION =
            def("precision", Kind.choice("fp32", "tf32", "bf16", "fp16")).dflt("fp32").resumable()
            .help("The network's arithmetic on the GPU (--device cuda, float32 models): fp32; tf32 (products on TF32 "
                    + "tensor cores); bf16 or fp16 (products of bfloat16/float16 copies accumulated in float32; weights, "
                    + "gradients and optimizer state stay float32; fp16 with dynamic loss scaling as PyTorch's "
                    + "GradScaler). The CPU computes in the model's dtype only: anything but fp32 is refused there.")
            .add();

    private Keys() {}

    /** PyTorch's default learning rate of each type that has one other than 1e-3 (lion: google/automl's). */
    private static Double defaultLr(String type) {
        if (type == null) return 1e-3;
        return switch (type) {
            case "rmsprop", "adagrad", "rprop" -> 1e-2;
            case "adadelta" -> 1.0;
            case "adamax", "nadam" -> 2e-3;
            case "lion" -> 1e-4;
            default -> 1e-3;
        };
    }

    /** All keys in declaration order. */
    public static List<Setting<?>> all() { return Collections.unmodifiableList(ALL); }

    /** The key with this name or alias, or null. */
    public static Setting<?> byName(String name) { return BY_NAME.get(name); }

    /** The optimizer fields, in declaration order. */
    public static List<Setting<?>> optimizerFields() { return ALL.stream().filter(Setting::isOptimizerField).toList(); }

    private static <T> Builder<T> def(String name, Kind<T> kind) { return new Builder<>(name, kind); }

    private static final class Builder<T> {
        private final String name;
        private final Kind<T> kind;
        private final List<String> aliases = new ArrayList<>();
        private Function<String, T> dflt = t -> null;
        private Bound<T> bound = Bound.any();
        private String help = "";
        private Set<String> optimizers = Set.of();
        private boolean resumable;

        Builder(String name, Kind<T> kind) { this.name = name; this.kind = kind; }
        Builder<T> alias(String a) { aliases.add(a); return this; }
        Builder<T> dflt(T v) { dflt = t -> v; return this; }
        Builder<T> dflt(Function<String, T> f) { dflt = f; return this; }
        Builder<T> bound(String says, Predicate<T> ok) { bound = new Bound<>(says, ok); return this; }
        Builder<T> help(String h) { help = h; return this; }
        Builder<T> optimizers(String... types) { optimizers = Set.of(types); return this; }
        Builder<T> optimizers(Set<String> types) { optimizers = types; return this; }
        Builder<T> resumable() { resumable = true; return this; }

        Setting<T> add() {
            Setting<T> s = new Setting<>(name, aliases, kind, dflt, bound, help, optimizers, resumable);
            for (String n : concat(name, aliases)) {
                if (BY_NAME.putIfAbsent(n, s) != null) throw new IllegalStateException("duplicate setting name " + n);
            }
            ALL.add(s);
            return s;
        }

        private static List<String> concat(String n, List<String> more) {
            List<String> l = new ArrayList<>(List.of(n));
            l.addAll(more);
            return l;
        }
    }
}
