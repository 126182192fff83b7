package io.ndopt.internal.gpusuite;

import io.ndopt.optim.DecayMode;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.param.Param;
import io.ndopt.param.Role;
import io.ndopt.schedule.Schedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every rule of the GPU suite, and the model it runs on: tensors of awkward sizes (odd lengths,
 * a bias stored as [1, n]), weights and biases interleaved so the segments start at offsets that
 * are not 16-byte aligned, and seeded pseudo-random gradients that are the same for every device.
 */
final class Recipes {
    private Recipes() {}

    static final Map<String, Function<List<Param>, OptimizerBuilder>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("sgd", ps -> Optimizer.sgd(0.05));
        ALL.put("sgd_momentum_dampening", ps -> Optimizer.sgd(0.05).momentum(0.9).dampening(0.3));
        ALL.put("sgd_nesterov_l2", ps -> Optimizer.sgd(0.05).momentum(0.9).nesterov(true).weightDecay(1e-2));
        ALL.put("sgd_maximize", ps -> Optimizer.sgd(0.05).momentum(0.5).maximize(true));
        ALL.put("sgd_l1_prox", ps -> Optimizer.sgd(0.05).l1(0.05));
        ALL.put("sgd_elastic_net", ps -> Optimizer.sgd(0.05).momentum(0.9).elasticNet(0.05, 0.01));
        ALL.put("adam", ps -> Optimizer.adam(1e-2));
        ALL.put("adam_amsgrad", ps -> Optimizer.adam(1e-2).amsgrad(true));
        ALL.put("adam_l2", ps -> Optimizer.adam(1e-2).weightDecay(1e-2));
        ALL.put("adam_maximize", ps -> Optimizer.adam(1e-2).maximize(true));
        ALL.put("adamw", ps -> Optimizer.adamw(1e-2).weightDecay(0.1));
        ALL.put("adamw_schedule_only", ps -> Optimizer.adamw(1e-2).weightDecay(0.1)
                .decayMode(DecayMode.DECOUPLED_SCHEDULE_ONLY)
                .schedule(Schedule.cosine(1e-2, 8, 1e-4)));
        ALL.put("adamw_l1", ps -> Optimizer.adamw(1e-2).weightDecay(0.1).l1(0.5));
        ALL.put("adamw_clip_groups", ps -> Optimizer.adamw(1e-2).weightDecay(0.05).clipNorm(0.5)
                .group("head", ps.subList(ps.size() - 2, ps.size()), o -> o.withLr(3e-3).withWeightDecay(0.2)));
    }

    /** The model: fresh parameters with seeded values. */
    static List<Param> params(DataType dt) {
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
    static void gradients(List<Param> ps, int step) {
        SplittableRandom r = new SplittableRandom(1000L + step);
        for (Param p : ps) p.setGrad(random(r, p.dtype(), 1.0, p.shape()));
    }

    static INDArray random(SplittableRandom r, DataType dt, double scale, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = scale * (2 * r.nextDouble() - 1) * (1 + 3 * r.nextDouble());
        return Nd4j.createFromArray(v).castTo(dt).reshape('c', shape);
    }

    /** All values, concatenated in parameter order, as doubles. */
    static double[] values(List<Param> ps) {
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
