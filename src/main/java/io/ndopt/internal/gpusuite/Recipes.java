package io.ndopt.internal.gpusuite;

import io.ndopt.optim.DecayMode;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.optim.Rule;
import io.ndopt.param.Param;
import io.ndopt.param.Role;
import io.ndopt.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one table of optimizer recipes: every parity, property, resume, checkpoint and device test runs it, and
 * so does the GPU suite — each rule with and without momentum, Nesterov, dampening and AMSGrad, each decay
 * mode, L1 and elastic net (proximal), clipping, maximize, parameter groups, and cosine, step, exponential and
 * warmup schedules. A recipe added here is checked on every path, in float64 and float32. Also the GPU
 * suite's model ({@link #params}): tensors of awkward sizes (odd lengths, a bias stored as [1, n]), weights
 * and biases interleaved so the segments start at offsets that are not 16-byte aligned, and seeded
 * pseudo-random gradients that are the same for every device.
 */
public final class Recipes {
    private Recipes() {}

    /**
     * One named recipe.
     *
     * @param name      unique, shown in test and check names
     * @param builder   a fresh builder per call (builders are mutable), given the parameters it will be built over
     *                  (a recipe with parameter groups picks its group from them)
     * @param threshold the step ends with a soft threshold (L1 or elastic net), so float32 ties are possible
     *                  (see the tests' {@code Parity}; no recipe here clips with coupled L2 without one)
     */
    public record Recipe(String name, Function<List<Param>, OptimizerBuilder> builder, boolean threshold) {
        public Recipe {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("a recipe needs a name");
        }

        /** A fresh builder for {@code params}. */
        public OptimizerBuilder get(List<Param> params) { return builder.apply(params); }

        @Override public String toString() { return name; }
    }

    private static Recipe plain(String name, Supplier<OptimizerBuilder> b) { return new Recipe(name, ps -> b.get(), false); }

    private static Recipe prox(String name, Supplier<OptimizerBuilder> b) { return new Recipe(name, ps -> b.get(), true); }

    /** The second half of the parameters (at least the last one): a "head" group of its own. */
    private static List<Param> head(List<Param> ps) { return ps.subList(Math.min(ps.size() / 2, ps.size() - 1), ps.size()); }

    /** The table; names are unique. */
    public static final List<Recipe> ALL = List.of(
            plain("sgd", () -> Optimizer.sgd(0.05)),
            plain("sgd+l2+momentum", () -> Optimizer.sgd(0.05).momentum(0.9).dampening(0.1).weightDecay(0.01)),
            plain("sgd+momentum+cosine", () -> Optimizer.sgd(0.05).momentum(0.9).weightDecay(0.01)
                    .schedule(Schedule.cosine(0.05, 10, 0))),
            plain("sgd+momentum+maximize", () -> Optimizer.sgd(0.05).momentum(0.5).maximize(true)),
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
            plain("adam", () -> Optimizer.adam(1e-2)),
            plain("adam+maximize", () -> Optimizer.adam(1e-2).maximize(true)),
            plain("adam+l2", () -> Optimizer.adam(0.01).weightDecay(0.1)),
            plain("adam+amsgrad+l2", () -> Optimizer.adam(1e-2).amsgrad(true).weightDecay(1e-2)),
            plain("adam+amsgrad+step", () -> Optimizer.adam(0.01).amsgrad(true).weightDecay(0.01)
                    .schedule(Schedule.step(0.01, 3, 0.5))),
            plain("adam+amsgrad+cosine", () -> Optimizer.adam(0.01).amsgrad(true).weightDecay(1e-3)
                    .schedule(Schedule.cosine(0.01, 30, 0))),
            plain("adamw", () -> Optimizer.adamw(1e-2).weightDecay(0.1)),
            plain("adamw+warmup", () -> Optimizer.adamw(0.01).schedule(Schedule.warmupCosine(0.01, 3, 12, 0))),
            plain("adamw+clip+warmup", () -> Optimizer.adamw(0.01).clipNorm(1.0)
                    .schedule(Schedule.warmupCosine(0.01, 5, 40, 0))),
            plain("adamw+amsgrad+cosine", () -> Optimizer.adamw(0.01).betas(0.8, 0.95).amsgrad(true).weightDecay(0.1)
                    .schedule(Schedule.cosine(0.01, 4, 0.001))),
            new Recipe("adamw+clip+groups", ps -> Optimizer.adamw(1e-2).weightDecay(0.05).clipNorm(0.5)
                    .group("head", head(ps), o -> o.withLr(3e-3).withWeightDecay(0.2)), false),
            prox("adamw+l1", () -> Optimizer.adamw(1e-2).weightDecay(0.1).l1(0.5)),
            prox("adamw+elasticnet+warmup+clip", () -> Optimizer.adamw(0.02).l1(0.05).l2(0.1).clipNorm(1.0)
                    .schedule(Schedule.warmupCosine(0.02, 2, 6, 0))),
            plain("adamw-paper+cosine", () -> Optimizer.adamw(1e-2).weightDecay(0.1)
                    .decayMode(DecayMode.DECOUPLED_SCHEDULE_ONLY).schedule(Schedule.cosine(1e-2, 8, 1e-4))),
            plain("adamw-paper+step+maximize", () -> Optimizer.adamw(0.02).decayMode(DecayMode.DECOUPLED_SCHEDULE_ONLY)
                    .maximize(true).schedule(Schedule.step(0.02, 2, 0.5))),
            // the element-wise rules of torch.optim and Lion
            plain("rmsprop", () -> Optimizer.rmsprop(1e-2)),
            plain("rmsprop+centered+momentum+l2", () -> Optimizer.rmsprop(1e-2).centered(true).momentum(0.9)
                    .weightDecay(0.01)),
            prox("rmsprop+momentum+cosine+maximize+l1", () -> Optimizer.rmsprop(1e-2).momentum(0.5).alpha(0.9)
                    .maximize(true).l1(0.05).schedule(Schedule.cosine(1e-2, 8, 1e-4))),
            plain("rmsprop+centered+decoupled", () -> Optimizer.rmsprop(1e-2).centered(true).weightDecay(0.1)
                    .decayMode(DecayMode.DECOUPLED)),
            plain("adagrad+lr_decay+init+l2", () -> Optimizer.adagrad(0.05).lrDecay(0.1).initialAccumulatorValue(0.1)
                    .weightDecay(0.01)),
            prox("adagrad+elasticnet+clip", () -> Optimizer.adagrad(0.05).elasticNet(0.05, 0.01).clipNorm(1.0)),
            plain("adadelta+l2", () -> Optimizer.adadelta(1.0).weightDecay(0.01)),
            plain("adadelta+step+maximize", () -> Optimizer.adadelta(0.5).rho(0.8).maximize(true)
                    .schedule(Schedule.step(0.5, 3, 0.5))),
            plain("adamax+l2", () -> Optimizer.adamax(2e-2).weightDecay(0.01)),
            prox("adamax+l1+exponential", () -> Optimizer.adamax(2e-2).betas(0.8, 0.99).l1(0.2)
                    .schedule(Schedule.exponential(2e-2, 0.9))),
            plain("nadam+l2", () -> Optimizer.nadam(1e-2).weightDecay(0.01)),
            plain("nadam+decoupled+warmup", () -> Optimizer.nadam(1e-2).momentumDecay(0.05).decoupledWeightDecay(true)
                    .weightDecay(0.1).schedule(Schedule.warmupCosine(1e-2, 2, 10, 0))),
            new Recipe("nadam+clip+groups", ps -> Optimizer.nadam(1e-2).weightDecay(0.05).clipNorm(0.5)
                    .group("head", head(ps), o -> o.withLr(3e-3).withWeightDecay(0.2)), false),
            plain("radam+l2", () -> Optimizer.radam(1e-2).betas(0.9, 0.95).weightDecay(0.01)),
            plain("radam+decoupled+cosine", () -> Optimizer.radam(1e-2).betas(0.8, 0.95).decoupledWeightDecay(true)
                    .weightDecay(0.1).schedule(Schedule.cosine(1e-2, 12, 1e-3))),
            plain("rprop", () -> Optimizer.rprop(1e-2)),
            plain("rprop+l2+maximize+bounds", () -> Optimizer.rprop(0.05).etas(0.3, 1.5).stepSizes(1e-3, 0.08)
                    .weightDecay(0.01).maximize(true)),
            plain("lion+decay", () -> Optimizer.lion(1e-3).weightDecay(0.1)),
            prox("lion+l1+warmup", () -> Optimizer.lion(1e-3).betas(0.95, 0.98).l1(0.05)
                    .schedule(Schedule.warmupCosine(1e-3, 2, 10, 0))),
            new Recipe("lion+clip+groups", ps -> Optimizer.lion(1e-3).weightDecay(0.1).clipNorm(0.5)
                    .group("head", head(ps), o -> o.withLr(3e-4).withWeightDecay(0.0)), false),
            // schedule-free AdamW, Adafactor, Muon
            plain("sf-adamw+warmup", () -> Optimizer.scheduleFreeAdamw(0.02).weightDecay(0.01).warmupSteps(3)),
            new Recipe("sf-adamw+clip+groups+cosine", ps -> Optimizer.scheduleFreeAdamw(0.01).betas(0.8, 0.99)
                    .clipNorm(0.5).averagingPower(1).weightLrPower(1).schedule(Schedule.cosine(0.01, 6, 1e-3))
                    .group("head", head(ps), o -> o.withLr(3e-3).withWeightDecay(0.1)), false),
            plain("sf-adamw+coupled+l2+maximize", () -> Optimizer.scheduleFreeAdamw(0.02).decayMode(DecayMode.COUPLED)
                    .weightDecay(0.05).l2(0.01).maximize(true)),
            plain("adafactor", () -> Optimizer.adafactor(0.02).weightDecay(0.01)),
            new Recipe("adafactor+clip+groups+cosine", ps -> Optimizer.adafactor(0.05).beta2Decay(-0.5)
                    .adafactorEps(1e-20, 1e-3).clipThreshold(2).clipNorm(0.5).schedule(Schedule.cosine(0.05, 6, 1e-3))
                    .group("head", head(ps), o -> o.withLr(0.01)), false),
            prox("adafactor+elasticnet+maximize", () -> Optimizer.adafactor(0.02).elasticNet(0.01, 0.01).maximize(true)),
            plain("muon+aux", () -> Optimizer.muon(0.02).muonParams(Rule.Muon.MuonParams.WEIGHTS)
                    .aux(Rule.Adam.defaults(), 3e-3, 0.01)),
            prox("muon+l1+clip+cosine+match_rms", () -> Optimizer.muon(0.02).muonParams(Rule.Muon.MuonParams.WEIGHTS)
                    .nesterov(false).adjustLr(Rule.Muon.AdjustLr.MATCH_RMS_ADAMW).l1(1e-3).clipNorm(1.0)
                    .schedule(Schedule.cosine(0.02, 6, 1e-3)).aux(Rule.Adam.defaults().withAmsgrad(true), 3e-3, 0)));

    static {
        if (ALL.stream().map(Recipe::name).distinct().count() != ALL.size()) {
            throw new IllegalStateException("recipe names repeat");
        }
    }

    /** The recipe called {@code name}. */
    public static Recipe named(String name) {
        for (Recipe r : ALL) if (r.name().equals(name)) return r;
        throw new IllegalArgumentException("no recipe '" + name + "'");
    }

    /** The model: fresh parameters with seeded values. */
    public static List<Param> params(DataType dt) {
        SplittableRandom r = new SplittableRandom(20261127);
        List<Param> ps = new ArrayList<>();
        ps.add(Param.weight("w1", random(r, dt, 0.1, 37, 29)));
        ps.add(Param.bias("b1", random(r, dt, 0.1, 1, 29)));
        ps.add(Param.weight("w2", random(r, dt, 0.1, 1031)));
        ps.add(Param.of("e", Role.WEIGHT, random(r, dt, 0.1, 3)));
        ps.add(Param.weight("w3", random(r, dt, 0.1, 29, 1)));
        ps.add(Param.bias("b3", random(r, dt, 0.1, 1)));
        return ps;
    }

    /** Sets every gradient for step {@code step} (1-based); the same numbers on every run and device. */
    public static void gradients(List<Param> ps, int step) {
        SplittableRandom r = new SplittableRandom(1000L + step);
        for (Param p : ps) p.setGrad(random(r, p.dtype(), 1.0, p.shape()));
    }

    public static INDArray random(SplittableRandom r, DataType dt, double scale, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = scale * (2 * r.nextDouble() - 1) * (1 + 3 * r.nextDouble());
        return Nd4j.createFromArray(v).castTo(dt).reshape('c', shape);
    }

    /** All values, concatenated in parameter order, as doubles. */
    public static double[] values(List<Param> ps) {
        List<double[]> parts = new ArrayList<>();
        int n = 0;
        for (Param p : ps) {
            double[] d = p.value().dup().castTo(DataType.DOUBLE).data().asDouble();
            parts.add(d);
            n += d.length;
        }
        double[] all = new double[n];
        int off = 0;
        for (double[] d : parts) {
            System.arraycopy(d, 0, all, off, d.length);
            off += d.length;
        }
        return all;
    }
}
