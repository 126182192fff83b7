package io.ndopt.internal.gpusuite;

import io.ndopt.device.Device;
import io.ndopt.optim.UpdatePath;
import io.ndopt.optim.NonFiniteGradientException;
import io.ndopt.optim.NonFinitePolicy;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.DoubleStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The optimizer checks of the GPU suite, each comparing a run on {@code device} with the CPU:
 * every rule × dtype against the reference path, two device runs bitwise equal, non-finite steps
 * that change nothing, and state moved CPU ⇄ device mid-run.
 */
final class Checks {
    static final int STEPS = 10;
    private final Device device;

    Checks(Device device) { this.device = device; }

    /** Runs {@code recipe} for {@code steps} steps from step {@code from}; values after each step, then the state. */
    private static List<double[]> run(Optimizer opt, List<Param> ps, int from, int steps) {
        List<double[]> out = new ArrayList<>();
        for (int t = from; t < from + steps; t++) {
            Recipes.gradients(ps, t);
            opt.step();
            out.add(Recipes.values(ps));
        }
        return out;
    }

    /** The state arrays (not the step counters), concatenated. */
    private static double[] state(Optimizer opt) {
        List<double[]> parts = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : opt.stateDict().entrySet()) {
            // counters are checked apart
            if (e.getKey().equals("step") || e.getKey().endsWith("_steps")) continue;
            parts.add(e.getValue().castTo(DataType.DOUBLE).data().asDouble());
        }
        return parts.stream().flatMapToDouble(Arrays::stream).toArray();
    }

    private static Tolerance.Comparison compareAll(List<double[]> a, List<double[]> b, Tolerance tol) {
        Tolerance.Comparison c = Tolerance.Comparison.identical();
        for (int i = 0; i < a.size(); i++) c = c.merge(tol.compare(a.get(i), b.get(i)));
        return c;
    }

    private Optimizer build(Function<List<Param>, OptimizerBuilder> recipe, List<Param> ps, Device d, UpdatePath impl,
            NonFinitePolicy policy) {
        OptimizerBuilder b = recipe.apply(ps).onNonFinite(policy).device(d);
        if (!d.isCuda()) b.impl(impl);
        return b.build(ps);
    }

    /** Every rule × dtype: the device's values after each step and final state vs the CPU reference path. */
    List<CheckResult> parity() {
        List<CheckResult> out = new ArrayList<>();
        for (Recipes.Recipe e : Recipes.ALL) {
            for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                String name = "parity/" + e.name() + "/" + label(dt);
                out.add(guard(name, () -> {
                    List<Param> cpuPs = Recipes.params(dt), devPs = Recipes.params(dt);
                    Optimizer cpu = build(e::get, cpuPs, Device.cpu(), UpdatePath.REFERENCE, NonFinitePolicy.ERROR);
                    Optimizer dev = build(e::get, devPs, device, UpdatePath.AUTO, NonFinitePolicy.ERROR);
                    List<double[]> expected = run(cpu, cpuPs, 1, STEPS), actual = run(dev, devPs, 1, STEPS);
                    expected.add(state(cpu));
                    actual.add(state(dev));
                    dev.close();
                    long zeros = Arrays.stream(expected.get(STEPS - 1)).filter(v -> v == 0).count();
                    return CheckResult.of(name, compareAll(actual, expected, Tolerance.of(dt == DataType.FLOAT)),
                            STEPS + " steps, values after each step and the final state vs the CPU reference; " + zeros
                            + " exact zeros");
                }));
            }
        }
        return out;
    }

    /** Two runs on the device from the same start: bitwise-equal values and state. */
    List<CheckResult> determinism() {
        List<CheckResult> out = new ArrayList<>();
        for (String recipe : List.of("adamw+clip+groups", "sgd+dampening+maximize+elasticnet")) {
            for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                String name = "determinism/" + recipe + "/" + label(dt);
                out.add(guard(name, () -> {
                    List<List<double[]>> runs = new ArrayList<>();
                    for (int k = 0; k < 2; k++) {
                        List<Param> ps = Recipes.params(dt);
                        Optimizer o = build(Recipes.named(recipe)::get, ps, device, UpdatePath.AUTO, NonFinitePolicy.ERROR);
                        List<double[]> r = run(o, ps, 1, STEPS);
                        r.add(state(o));
                        r.add(new double[] {o.lastGradNorm()});
                        o.close();
                        runs.add(r);
                    }
                    return CheckResult.of(name, compareAll(runs.get(0), runs.get(1), new Tolerance(0, 0, false)),
                            "two runs: values, state and gradient norm bitwise equal");
                }));
            }
        }
        return out;
    }

    /**
     * A NaN or Inf gradient: SKIP leaves values, state and step count bitwise unchanged; ERROR names the parameter;
     * PROPAGATE takes it in as the CPU reference path does (the same NaNs, the rest within the tolerance) and
     * counts it.
     */
    List<CheckResult> nonFinite() {
        List<CheckResult> out = new ArrayList<>();
        for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
                String name = "nonfinite/" + (Double.isNaN(bad) ? "nan" : "inf") + "/" + label(dt);
                out.add(guard(name, () -> {
                    List<Param> ps = Recipes.params(dt);
                    Optimizer o = build(Recipes.named("adam+amsgrad+l2")::get, ps, device, UpdatePath.AUTO, NonFinitePolicy.SKIP);
                    run(o, ps, 1, 3);
                    double[] before = Recipes.values(ps), stateBefore = state(o);
                    Recipes.gradients(ps, 4);
                    ps.get(2).grad().putScalar(17, bad);
                    boolean taken = o.step();
                    Tolerance exact = new Tolerance(0, 0, false);
                    Tolerance.Comparison c = exact.compare(Recipes.values(ps), before)
                            .merge(exact.compare(state(o), stateBefore));
                    o.close();
                    if (taken || o.stepCount() != 3 || o.skippedSteps() != 1) {
                        return CheckResult.fail(name, "SKIP: step() returned " + taken + ", steps " + o.stepCount()
                                + ", skipped " + o.skippedSteps());
                    }
                    List<Param> ps2 = Recipes.params(dt);
                    Optimizer strict = build(Recipes.named("adamw")::get, ps2, device, UpdatePath.AUTO, NonFinitePolicy.ERROR);
                    Recipes.gradients(ps2, 1);
                    ps2.get(4).grad().putScalar(0, bad);
                    try {
                        strict.step();
                        return CheckResult.fail(name, "ERROR policy: step() accepted a non-finite gradient");
                    } catch (NonFiniteGradientException ex) {
                        if (!ex.param().equals("w3")) {
                            return CheckResult.fail(name, "ERROR policy named '" + ex.param() + "', not 'w3'");
                        }
                    } finally {
                        strict.close();
                    }
                    double[][] propagated = new double[2][];
                    for (int k = 0; k < 2; k++) {
                        Device d = k == 0 ? Device.cpu() : device;
                        List<Param> ps3 = Recipes.params(dt);
                        Optimizer p = build(Recipes.named("adam+amsgrad+l2")::get, ps3, d, UpdatePath.REFERENCE,
                                NonFinitePolicy.PROPAGATE);
                        run(p, ps3, 1, 1);
                        Recipes.gradients(ps3, 2);
                        ps3.get(2).grad().putScalar(17, bad);
                        boolean went = p.step();
                        run(p, ps3, 3, 1);
                        long counted = p.nonFiniteSteps();
                        double[] v = Recipes.values(ps3), st = state(p);
                        p.close();
                        if (!went || counted != 1) {
                            return CheckResult.fail(name, "PROPAGATE on " + d + ": step() returned " + went
                                    + ", non-finite steps counted " + counted);
                        }
                        propagated[k] = DoubleStream.concat(Arrays.stream(v), Arrays.stream(st))
                                .toArray();
                    }
                    c = c.merge(Tolerance.of(dt == DataType.FLOAT).compare(propagated[1], propagated[0]));
                    return CheckResult.of(name, c, "SKIP: values, state and counters unchanged; ERROR: names the "
                            + "parameter; PROPAGATE: as the CPU reference, counted");
                }));
            }
        }
        return out;
    }

    /** Half a run on one device, state exported and imported, the rest on the other: equals a CPU-only run. */
    List<CheckResult> roundTrip() {
        List<CheckResult> out = new ArrayList<>();
        for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            for (boolean gpuFirst : new boolean[] {true, false}) {
                String name = "roundtrip/" + (gpuFirst ? "gpu-to-cpu" : "cpu-to-gpu") + "/" + label(dt);
                out.add(guard(name, () -> {
                    Function<List<Param>, OptimizerBuilder> recipe = Recipes.named("adam+amsgrad+l2")::get;
                    List<Param> ref = Recipes.params(dt);
                    Optimizer cpu = build(recipe, ref, Device.cpu(), UpdatePath.REFERENCE, NonFinitePolicy.ERROR);
                    List<double[]> expected = run(cpu, ref, 1, STEPS);
                    List<Param> a = Recipes.params(dt), b = Recipes.params(dt);
                    Optimizer first = build(recipe, a, gpuFirst ? device : Device.cpu(), UpdatePath.REFERENCE,
                            NonFinitePolicy.ERROR);
                    List<double[]> actual = new ArrayList<>(run(first, a, 1, STEPS / 2));
                    Map<String, INDArray> saved = first.stateDict();
                    first.close();
                    for (int i = 0; i < a.size(); i++) b.get(i).setValue(a.get(i).value());
                    Optimizer second = build(recipe, b, gpuFirst ? Device.cpu() : device, UpdatePath.REFERENCE,
                            NonFinitePolicy.ERROR);
                    second.loadStateDict(saved);
                    actual.addAll(run(second, b, STEPS / 2 + 1, STEPS - STEPS / 2));
                    expected.add(state(cpu));
                    actual.add(state(second));
                    second.close();
                    return CheckResult.of(name, compareAll(actual, expected, Tolerance.of(dt == DataType.FLOAT)),
                            "AMSGrad, state saved after step " + STEPS / 2
                            + " and resumed on the other device, vs a CPU-only run");
                }));
            }
        }
        return out;
    }

    static String label(DataType dt) { return dt == DataType.FLOAT ? "float32" : "float64"; }

    interface Body { CheckResult run() throws Exception; }

    /** Runs a check; an exception is a failure that names its type and message. */
    static CheckResult guard(String name, Body body) {
        try {
            return body.run();
        } catch (Exception | AssertionError e) {
            return CheckResult.fail(name, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
