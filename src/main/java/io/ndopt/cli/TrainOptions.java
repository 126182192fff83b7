package io.ndopt.cli;

import io.ndopt.train.TrainSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options shared by train, compare and sweep; unset options fall back to the config file, then defaults. */
final class TrainOptions {
    @Option(names = "--config", description = "Run configuration file (JSON or YAML, snake_case keys); command-line options override it.")
    Path config;
    @Option(names = "--data", description = "CSV file with a header row.") String data;
    @Option(names = "--target", description = "Target column of --data (default: last column).") String target;
    @Option(names = "--task", description = "regression or classification (for --data; default regression).") String task;
    @Option(names = "--dataset", description = "Synthetic dataset: moons, spirals, blobs, sparse, poly (default moons).") String dataset;
    @Option(names = "--hidden", description = "Hidden layer sizes, e.g. 64,64 (default 64,64; 'none' for a linear model).") String hidden;
    @Option(names = "--activation", description = "identity, relu, leaky_relu, tanh, sigmoid, softmax (default relu).") String activation;
    @Option(names = "--loss", description = "mse, bce_with_logits, cross_entropy (default: from the data).") String loss;
    @Option(names = "--optimizer", description = "sgd, adam, adamw, prox_sgd (default adamw).") String optimizer;
    @Option(names = "--lr", description = "Learning rate (default 1e-3).") Double lr;
    @Option(names = "--momentum", description = "SGD momentum (default 0).") Double momentum;
    @Option(names = "--dampening", description = "SGD dampening (default 0).") Double dampening;
    @Option(names = "--nesterov", arity = "0..1", description = "SGD Nesterov momentum.") Boolean nesterov;
    @Option(names = "--betas", description = "Adam betas, e.g. 0.9,0.999.") String betas;
    @Option(names = "--eps", description = "Adam epsilon (default 1e-8).") Double eps;
    @Option(names = "--amsgrad", arity = "0..1", description = "Adam AMSGrad.") Boolean amsgrad;
    @Option(names = {"--weight-decay", "--wd"}, description = "Weight decay (coupled for sgd/adam, decoupled for adamw; adamw default 0.01).") Double weightDecay;
    @Option(names = "--decay-mode", description = "coupled, decoupled, decoupled_schedule_only (paper AdamW).") String decayMode;
    @Option(names = "--l1", description = "Proximal L1 strength (exact zeros).") Double l1;
    @Option(names = "--l2", description = "L2 penalty through the gradient ((l2/2)||w||^2).") Double l2;
    @Option(names = "--group-lasso", description = "Group lasso λ[:rows|cols] on every weight matrix (rows: inputs/units' outgoing weights; cols: units' incoming weights), a prox after the L1 prox.") String groupLasso;
    @Option(names = "--penalty-schedule", description = "Penalty strength schedules, PENALTY=SCHEDULE[;...] with PENALTY l1, l2, group_lasso, weight_decay, e.g. group_lasso=linear_warmup:warmup=200.") String penaltySchedule;
    @Option(names = "--decay-bias", arity = "0..1", description = "Also decay/penalize biases (decay mask; default: weights only).") Boolean decayBias;
    @Option(names = "--schedule", description = "constant, step:step_size=N,gamma=G, exponential:gamma=G, cosine:t_max=N,eta_min=E, warmup_cosine:warmup=W,total=T, linear_warmup:warmup=W.") String schedule;
    @Option(names = "--clip-norm", description = "Global gradient-norm clipping threshold (0 = off).") Double clipNorm;
    @Option(names = "--epochs", description = "Epochs (default 20).") Integer epochs;
    @Option(names = "--batch-size", description = "Mini-batch size (default 32).") Integer batchSize;
    @Option(names = "--seed", description = "Seed for data, init and shuffles (default 42).") Long seed;
    @Option(names = "--val-split", description = "Validation fraction (default 0.2).") Double valSplit;
    @Option(names = "--patience", description = "Early stopping patience in epochs (0 = off).") Integer patience;
    @Option(names = "--dtype", description = "float32 or float64 (default float32).") String dtype;

    /** defaults ← config file ← explicit options. */
    TrainSettings resolve(Map<String, Object> base) {
        TrainSettings s = TrainSettings.defaults();
        if (base != null) s = s.with(base);
        if (config != null) s = s.with(TrainSettings.readFile(config));
        return s.with(explicit());
    }

    Map<String, Object> explicit() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        m.put("target", target);
        m.put("task", task);
        m.put("dataset", dataset);
        m.put("hidden", hidden);
        m.put("activation", activation);
        m.put("loss", loss);
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("dampening", dampening);
        m.put("nesterov", nesterov);
        m.put("betas", betas);
        m.put("eps", eps);
        m.put("amsgrad", amsgrad);
        m.put("weight_decay", weightDecay);
        m.put("decay_mode", decayMode);
        m.put("l1", l1);
        m.put("l2", l2);
        m.put("group_lasso", groupLasso);
        m.put("penalty_schedule", penaltySchedule);
        m.put("decay_bias", decayBias);
        m.put("schedule", schedule);
        m.put("clip_norm", clipNorm);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("seed", seed);
        m.put("val_split", valSplit);
        m.put("patience", patience);
        m.put("dtype", dtype);
        return m;
    }
}
