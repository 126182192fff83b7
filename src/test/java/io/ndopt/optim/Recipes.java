package io.ndopt.optim;

import io.ndopt.schedule.Schedule;
import java.util.List;
import java.util.function.Supplier;

/**
 * The optimizer recipes every parity, property, resume, checkpoint and device test runs: each rule with
 * and without momentum, Nesterov, dampening and AMSGrad, each decay mode, L1 and elastic net (proximal),
 * clipping, maximize, and cosine, step, exponential and warmup schedules. One table, so a recipe added
 * here is checked on every path, in float64 and float32 where a test runs both.
 */
public final class Recipes {
    private Recipes() {}

    /**
     * One named recipe.
     *
     * @param name      unique, shown in test names
     * @param builder   a fresh builder per call (builders are mutable)
     * @param threshold the step ends with a soft threshold (L1 or elastic net), so float32 ties are possible
     *                  (see {@code io.ndopt.Parity}; no recipe here clips with coupled L2 without one)
     */
    public record Recipe(String name, Supplier<OptimizerBuilder> builder, boolean threshold) {
        public Recipe {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("a recipe needs a name");
        }

        public OptimizerBuilder get() { return builder.get(); }

        @Override public String toString() { return name; }
    }

    private static Recipe plain(String name, Supplier<OptimizerBuilder> b) { return new Recipe(name, b, false); }

    private static Recipe prox(String name, Supplier<OptimizerBuilder> b) { return new Recipe(name, b, true); }

    /** The table; names are unique. */
    public static final List<Recipe> ALL = List.of(
            plain("sgd", () -> Optimizer.sgd(0.05)),
            plain("sgd+l2+momentum", () -> Optimizer.sgd(0.05).momentum(0.9).dampening(0.1).weightDecay(0.01)),
            plain("sgd+momentum+cosine", () -> Optimizer.sgd(0.05).momentum(0.9).weightDecay(0.01)
                    .schedule(Schedule.cosine(0.05, 10, 0))),
            plain("sgd+nesterov+l2", () -> Optimizer.sgd(0.05).momentum(0.9).nesterov(true).weightDecay(1e-2)),
            plain("sgd+nesterov+step", () -> Optimizer.sgd(0.1).momentum(0.9).nesterov(true).weightDecay(1e-3)
                    .schedule(Schedule.step(0.1, 7, 0.5))),
            prox("sgd+nesterov+prox+clip", () ->
                    Optimizer.sgd(0.05).momentum(0.8).nesterov(true).l1(0.3).clipNorm(0.5)),
            prox("sgd+dampening+maximize+elasticnet", () -> Optimizer.sgd(0.05).momentum(0.8).dampening(0.3)
                    .maximize(true).elasticNet(0.05, 0.01)),
            prox("sgd+l1+exponential", () -> Optimizer.sgd(0.1).l1(0.5).schedule(Schedule.exponential(0.1, 0.9))),
            prox("sgd+small-l1+exponential", () -> Optimizer.sgd(0.1).l1(0.01)
                    .schedule(Schedule.exponential(0.1, 0.97))),
            plain("adam+l2", () -> Optimizer.adam(0.01).weightDecay(0.1)),
            plain("adam+amsgrad+l2", () -> Optimizer.adam(1e-2).amsgrad(true).weightDecay(1e-2)),
            plain("adam+amsgrad+step", () -> Optimizer.adam(0.01).amsgrad(true).weightDecay(0.01)
                    .schedule(Schedule.step(0.01, 3, 0.5))),
            plain("adam+amsgrad+cosine", () -> Optimizer.adam(0.01).amsgrad(true).weightDecay(1e-3)
                    .schedule(Schedule.cosine(0.01, 30, 0))),
            plain("adamw+warmup", () -> Optimizer.adamw(0.01).schedule(Schedule.warmupCosine(0.01, 3, 12, 0))),
            plain("adamw+clip+warmup", () -> Optimizer.adamw(0.01).clipNorm(1.0)
                    .schedule(Schedule.warmupCosine(0.01, 5, 40, 0))),
            plain("adamw+amsgrad+cosine", () -> Optimizer.adamw(0.01).betas(0.8, 0.95).amsgrad(true).weightDecay(0.1)
                    .schedule(Schedule.cosine(0.01, 4, 0.001))),
            prox("adamw+l1", () -> Optimizer.adamw(1e-2).weightDecay(0.1).l1(0.5)),
            prox("adamw+elasticnet+warmup+clip", () -> Optimizer.adamw(0.02).l1(0.05).l2(0.1).clipNorm(1.0)
                    .schedule(Schedule.warmupCosine(0.02, 2, 6, 0))),
            plain("adamw-paper+step+maximize", () -> Optimizer.adamw(0.02).decayMode(DecayMode.DECOUPLED_SCHEDULE_ONLY)
                    .maximize(true).schedule(Schedule.step(0.02, 2, 0.5))));

    static {
        if (ALL.stream().map(Recipe::name).distinct().count() != ALL.size()) {
            throw new IllegalStateException("recipe names repeat");
        }
    }
}
