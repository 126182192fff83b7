package io.ndopt.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.Parity;
import io.ndopt.TestArrays;
import io.ndopt.optim.DecayMode;
import io.ndopt.optim.UpdatePath;
import io.ndopt.optim.Layout;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.internal.gpusuite.Recipes;
import io.ndopt.internal.gpusuite.Recipes.Recipe;
import io.ndopt.internal.kernel.FusedKernels;
import io.ndopt.param.Param;
import io.ndopt.param.Role;
import io.ndopt.regularize.Prox;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random shapes, dtypes and hyper-parameters, and the {@link Recipes} table on random shapes: fast path ==
 * reference path (parameters and state, by {@link Parity}), and the invariants of each transform.
 */
class OptimizerProperties {
    static final AtomicLong CASES = new AtomicLong();

    @Provide
    Arbitrary<Recipe> recipes() {
        Arbitrary<Double> lr = Arbitraries.doubles().between(0, 0.5);
        Arbitrary<Double> small = Arbitraries.doubles().between(0, 0.3);
        Arbitrary<Boolean> flag = Arbitraries.of(true, false);
        Arbitrary<Recipe> sgd = Combinators.combine(lr, Arbitraries.doubles().between(0, 0.99), small, flag,
                small, small).as(
                (l, mu, damp, nest, wd, l1) -> {
                    boolean n = nest && mu > 0;
                    double d = n ? 0 : damp;
                    return new Recipe("sgd lr=" + l + " mu=" + mu + " damp=" + d + " nesterov=" + n + " wd="
                            + wd + " l1=" + l1,
                            ps -> Optimizer.sgd(l).momentum(mu).dampening(d).nesterov(n).weightDecay(wd)
                            .l1(l1), l1 > 0);
                });
        Arbitrary<Recipe> adam = Combinators.combine(lr, Arbitraries.doubles().between(0, 0.99),
                Arbitraries.doubles().between(0.5, 0.9999).ofScale(6),
                Arbitraries.doubles().between(1e-8, 1e-3).ofScale(10), flag, Arbitraries.of(DecayMode.values()),
                small, small).as(
                (l, b1, b2, eps, ams, mode, wd, l1) ->
                new Recipe("adam lr=" + l + " b1=" + b1 + " b2=" + b2 + " eps=" + eps
                        + " ams=" + ams + " " + mode + " wd=" + wd + " l1=" + l1,
                        ps -> Optimizer.adam(l).betas(b1, b2).eps(eps).amsgrad(ams).decayMode(mode).weightDecay(wd)
                        .l1(l1).l2(wd / 2),
                        l1 > 0));
        return Arbitraries.oneOf(sgd, adam);
    }

    @Provide
    Arbitrary<Recipe> table() { return Arbitraries.of(Recipes.ALL); }

    @Provide
    Arbitrary<long[]> shapes() {
        return Arbitraries.integers().between(1, 3)
                .flatMap(rank -> Arbitraries.longs().between(1, rank == 1 ? 5000 : 40)
                .array(long[].class).ofSize(rank));
    }

    private static List<Param> params(long[] shape, DataType dt, long seed) {
        Random r = new Random(seed);
        List<Param> ps = new ArrayList<>();
        ps.add(Param.weight("w", TestArrays.randn(dt, r, shape)));
        ps.add(Param.bias("b", TestArrays.randn(dt, r, 1, shape[shape.length - 1])));
        return ps;
    }

    /** FUSED where this JDK links a fused kernel (KernelChoiceTest pins which JDKs do), else AUTO = reference. */
    private static final UpdatePath FUSED = FusedKernels.available() ? UpdatePath.FUSED : UpdatePath.AUTO;

    @Property(tries = 150, seed = "20261122")
    void fusedEqualsReference(@ForAll("recipes") Recipe r, @ForAll("shapes") long[] shape, @ForAll boolean f64,
                              @ForAll @DoubleRange(min = 0, max = 3) double clip,
                              @ForAll @IntRange(min = 1, max = 4) int steps,
                              @ForAll long seed) {
        fusedEqualsReference(r, b -> b.clipNorm(clip), r.threshold() || clip > 0, shape, f64, steps, seed,
                " clip " + clip);
    }

    @Property(tries = 60, seed = "23")
    void tableRecipesFusedEqualsReference(@ForAll("table") Recipe r, @ForAll("shapes") long[] shape,
            @ForAll boolean f64,
                                          @ForAll @IntRange(min = 1, max = 4) int steps, @ForAll long seed) {
        fusedEqualsReference(r, b -> b, r.threshold(), shape, f64, steps, seed, "");
    }

    /** Both paths from the same start and gradients: parameters and state by {@link Parity}. */
    private static void fusedEqualsReference(Recipe r, UnaryOperator<OptimizerBuilder> more, boolean ties,
            long[] shape, boolean f64,
                                             int steps, long seed, String label) {
        CASES.incrementAndGet();
        DataType dt = f64 ? DataType.DOUBLE : DataType.FLOAT;
        List<Param> a = params(shape, dt, seed), b = params(shape, dt, seed);
        assertEquals(a.get(0).value(), b.get(0).value(), "same start for shape " + Arrays.toString(shape));
        Optimizer ref = more.apply(r.get(a)).impl(UpdatePath.REFERENCE).build(a);
        Optimizer fast = more.apply(r.get(b)).impl(FUSED).layout(seed % 2 == 0 ? Layout.FLAT : Layout.TENSORS).build(b);
        Random rnd = new Random(seed);
        for (int s = 0; s < steps; s++) {
            long gs = rnd.nextLong();
            for (List<Param> ps : List.of(a, b)) {
                Random g = new Random(gs);
                for (Param p : ps) p.setGrad(TestArrays.randn(dt, g, p.shape()));
            }
            ref.step();
            fast.step();
        }
        Parity.assertOptimizers(ref, fast, ties,
                r + " shape " + Arrays.toString(shape) + " seed " + seed + " steps " + steps
                + label + " " + dt);
    }

    @Property(tries = 300, seed = "7")
    void softThresholdZeroesTheBandAndShiftsTheRestByExactlyT(@ForAll @DoubleRange(min = -5, max = 5) double z,
                                                               @ForAll @DoubleRange(min = 0, max = 3) double t) {
        double w = Prox.softThreshold(z, t);
        if (Math.abs(z) <= t) assertEquals(0.0, w, 0.0);
        else {
            assertEquals(Math.signum(z), Math.signum(w), "sign kept");
            assertEquals(Math.abs(z) - t, Math.abs(w), 1e-15, "moved toward 0 by exactly t");
        }
        INDArray arr = Prox.softThresholdi(Nd4j.createFromArray(z), t);
        assertEquals(w, arr.getDouble(0), 0.0, "array and scalar forms agree");
    }

    @Property(tries = 60, seed = "11")
    void maskedParamsUntouchedByDecayAndL1(@ForAll("recipes") Recipe r, @ForAll("shapes") long[] shape,
            @ForAll long seed) {
        List<Param> ps = params(shape, DataType.DOUBLE, seed);
        double[] b0 = ps.get(1).value().ravel().toDoubleVector();
        Optimizer opt = r.get(ps).build(ps);
        for (Param p : ps) p.zeroGrad();
        opt.step();
        // with a zero gradient, the rule moves nothing; only decay and L1 could, and the bias is masked
        double[] b1 = ps.get(1).value().ravel().toDoubleVector();
        for (int j = 0; j < b0.length; j++) assertEquals(b0[j], b1[j], 0.0, r.toString());
    }

    @Property(tries = 60, seed = "13")
    void lrZeroLeavesParametersUnchanged(@ForAll("recipes") Recipe r, @ForAll("shapes") long[] shape,
            @ForAll long seed) {
        List<Param> ps = params(shape, DataType.FLOAT, seed);
        double[] w0 = ps.get(0).value().ravel().toDoubleVector();
        Optimizer opt = r.get(ps).lr(0).build(ps);
        for (Param p : ps) p.setGrad(TestArrays.randn(DataType.FLOAT, new Random(seed + 1), p.shape()));
        opt.step();
        double[] w1 = ps.get(0).value().ravel().toDoubleVector();
        // the paper variant decays by η_t·wd, independent of lr
        if (r.name().contains("DECOUPLED_SCHEDULE_ONLY")) return;
        for (int j = 0; j < w0.length; j++) assertEquals(w0[j], w1[j], 0.0, r.toString());
    }

    @Property(tries = 40, seed = "17")
    void hugeL1ZeroesEveryWeight(@ForAll("shapes") long[] shape, @ForAll long seed, @ForAll boolean adam) {
        List<Param> ps = params(shape, DataType.FLOAT, seed);
        Optimizer opt = (adam ? Optimizer.adam(0.1) : Optimizer.sgd(0.1)).l1(1e9).regularize(Role.WEIGHT).build(ps);
        for (Param p : ps) p.setGrad(TestArrays.randn(DataType.FLOAT, new Random(seed + 1), p.shape()));
        opt.step();
        assertEquals(0.0, ps.get(0).value().amaxNumber().doubleValue(), 0.0);
        assertTrue(ps.get(1).value().amaxNumber().doubleValue() > 0, "bias not thresholded");
    }
}
