package io.ndopt.bench;

import io.ndopt.optim.UpdatePath;
import io.ndopt.optim.NonFinitePolicy;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One optimizer step over n parameters, in one tensor ({@code flat}) or 1000 equal tensors
 * ({@code tensors1000}), for ndopt's default path, the same under {@code NonFinitePolicy.PROPAGATE}
 * ({@code ndopt-propagate}: no check before the update, Σg² summed in its pass), ndopt's reference path, DL4J's updater with its
 * regularization classes, and ND4J {@code addi} of two arrays of n (a loose memory reference, whose time the
 * report scales by each bench's bytes touched). The real floor, the same arithmetic in C, is
 * {@code benchmarks/c/c_floor.c}, run by {@code benchmarks/run} in the same window.
 *
 * <p>Rules: sgd_l2 = SGD momentum 0.9 + L2 1e-4 (DL4J: Nesterovs + L2Regularization); adam = Adam;
 * adamw = AdamW wd 1e-2 (DL4J: Adam + WeightDecay(applyLR)); adamw_l1 = AdamW + L1 1e-5 (DL4J: Adam +
 * WeightDecay + L1Regularization). The element-wise rules at torch's defaults but lr 1e-3 (no decay): rmsprop,
 * adagrad, adadelta, adamax, nadam, radam, rprop, lion; DL4J has its own updater for the first five (RmsProp with
 * rmsDecay 0.99, AdaGrad, AdaDelta, AdaMax, Nadam, with torch's eps and betas), none for the other three.
 * DL4J overwrites the gradient with the update, so its step restores
 * the gradient first ({@code assign}); reusing the update as the next gradient drives values into
 * denormals (PERF-NOTES).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=6G"})
public class OptimizerStepBench {
    @Param({"adamw"}) public String bench;
    @Param({"ndopt"}) public String impl;
    @Param({"flat"}) public String layout;
    @Param({"10000000"}) public int n;
    @Param({"float32"}) public String dtype;

    private Optimizer ndopt;
    private final List<INDArray> params = new ArrayList<>(), grads = new ArrayList<>(), gradSource = new ArrayList<>();
    private final List<GradientUpdater<?>> updaters = new ArrayList<>();
    private final List<Regularization> before = new ArrayList<>(), after = new ArrayList<>();
    private INDArray a, b;
    private int iteration;

    @Setup(Level.Trial)
    public void setup() {
        DataType dt = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        Nd4j.getRandom().setSeed(1);
        if (impl.equals("addi")) {
            a = Nd4j.rand(dt, n);
            b = Nd4j.rand(dt, n).muli(1e-6);
            return;
        }
        int tensors = layout.equals("flat") ? 1 : 1000;
        int each = n / tensors;
        for (int i = 0; i < tensors; i++) {
            params.add(Nd4j.rand(dt, each).subi(0.5));
            INDArray g = Nd4j.rand(dt, each).subi(0.5).muli(1e-2);
            gradSource.add(g);
            grads.add(g.dup());
        }
        if (impl.startsWith("ndopt")) {
            List<io.ndopt.param.Param> ps = new ArrayList<>();
            for (int i = 0; i < tensors; i++) {
                ps.add(io.ndopt.param.Param.weight("t" + i, params.get(i)));
            }
            OptimizerBuilder r = recipe(bench).impl(impl.equals("ndopt-reference") ? UpdatePath.REFERENCE : UpdatePath.AUTO);
            if (impl.equals("ndopt-propagate")) r.onNonFinite(NonFinitePolicy.PROPAGATE);   // one pass, torch's contract
            ndopt = r.build(ps);
            for (int i = 0; i < tensors; i++) ps.get(i).setGrad(gradSource.get(i));
        } else {
            IUpdater conf = dl4jUpdater(bench);
            for (int i = 0; i < tensors; i++) {
                long size = conf.stateSize(each);
                INDArray view = Nd4j.zeros(dt, 1, size);
                updaters.add(conf.instantiate(view, true));
            }
            switch (bench) {
                case "sgd_l2" -> before.add(new L2Regularization(1e-4));
                case "adamw" -> after.add(new WeightDecay(1e-2, true));
                case "adamw_l1" -> { before.add(new L1Regularization(1e-5)); after.add(new WeightDecay(1e-2, true)); }
                default -> { }
            }
        }
    }

    /** DL4J's updater for a bench, with the bench's hyper-parameters; refused for rules DL4J does not have. */
    static IUpdater dl4jUpdater(String bench) {
        return switch (bench) {
            case "sgd_l2" -> new Nesterovs(1e-3, 0.9);
            case "adam", "adamw", "adamw_l1" -> new Adam(1e-3, 0.9, 0.999, 1e-8);
            case "rmsprop" -> new RmsProp(1e-3, 0.99, 1e-8);
            case "adagrad" -> new AdaGrad(1e-3, 1e-10);
            case "adadelta" -> new AdaDelta(0.9, 1e-6);      // DL4J's AdaDelta has no learning rate (torch's lr = 1)
            case "adamax" -> new AdaMax(1e-3, 0.9, 0.999, 1e-8);
            case "nadam" -> new Nadam(1e-3, 0.9, 0.999, 1e-8);
            default -> throw new IllegalArgumentException("DL4J has no updater for " + bench);
        };
    }

    /** The optimizer of each bench (also used by ab/FloorAB.java). */
    public static OptimizerBuilder recipe(String bench) {
        return switch (bench) {
            case "sgd_l2" -> Optimizer.sgd(1e-3).momentum(0.9).weightDecay(1e-4);
            case "adam" -> Optimizer.adam(1e-3);
            case "adamw" -> Optimizer.adamw(1e-3).weightDecay(1e-2);
            case "adamw_l1" -> Optimizer.adamw(1e-3).weightDecay(1e-2).l1(1e-5);
            case "rmsprop" -> Optimizer.rmsprop(1e-3);
            case "adagrad" -> Optimizer.adagrad(1e-3);
            case "adadelta" -> Optimizer.adadelta(1e-3);
            case "adamax" -> Optimizer.adamax(1e-3);
            case "nadam" -> Optimizer.nadam(1e-3);
            case "radam" -> Optimizer.radam(1e-3);
            case "rprop" -> Optimizer.rprop(1e-3);
            case "lion" -> Optimizer.lion(1e-3);
            default -> throw new IllegalArgumentException("unknown bench " + bench);
        };
    }

    @Benchmark
    public Object step() {
        switch (impl) {
            case "addi" -> { return a.addi(b); }
            case "ndopt", "ndopt-reference", "ndopt-propagate" -> { ndopt.step(); return ndopt; }
            default -> {
                iteration++;
                for (int i = 0; i < params.size(); i++) {
                    INDArray p = params.get(i), g = grads.get(i).assign(gradSource.get(i));
                    for (Regularization r : before) r.apply(p, g, 1e-3, iteration, 0);
                    updaters.get(i).applyUpdater(g, iteration, 0);
                    for (Regularization r : after) r.apply(p, g, 1e-3, iteration, 0);
                    p.subi(g);
                }
                return params;
            }
        }
    }
}
