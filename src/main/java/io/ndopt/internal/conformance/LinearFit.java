package io.ndopt.internal.conformance;

import io.ndopt.backend.Precision;
import io.ndopt.device.Device;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.optim.NonFiniteGradientException;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.param.Param;
import io.ndopt.regularize.GroupLasso;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Full-batch training of {@code pred = X·w + b} on the MSE loss {@code (1/n)·Σ(x·w + b − y)²}
 * (no ½), with gradients {@code (2/n)·Xᵀr} and {@code (2/n)·Σr}: the conformance contract.
 */
public final class LinearFit {
    private LinearFit() {}

    /** The trajectory of a run: parameters after each step (index 0 = start) and the data loss there. */
    public record Result(List<double[]> wTraj, double[] bTraj, double[] loss, double[] lrPerStep, long skippedSteps,
                         long nonFiniteSteps) {
        public double[] wFinal() { return wTraj.get(wTraj.size() - 1); }
        public double bFinal() { return bTraj[bTraj.length - 1]; }
        public int finalZeroCount() {
            int z = 0;
            for (double v : wFinal()) if (v == 0.0) z++;
            return z;
        }
    }

    public static Result run(LinearSpec spec, Precision precision) { return run(spec, precision, Device.cpu()); }

    /** Runs the spec with the optimizer on {@code device} (the model's arithmetic stays on the host). */
    public static Result run(LinearSpec spec, Precision precision, Device device) {
        DataType dt = precision.dtype();
        int n = spec.n(), p = spec.p();
        INDArray x = Nd4j.createFromArray(spec.x()).castTo(dt);
        INDArray y = Nd4j.createFromArray(spec.y()).castTo(dt).reshape(n, 1);
        Param w = Param.weight("w", Nd4j.createFromArray(spec.w0()).castTo(dt));
        Param b = Param.bias("b", Nd4j.createFromArray(new double[] {spec.b0()}).castTo(dt));
        OptimizerBuilder builder = spec.optimizer().toBuilder().device(device);
        if (spec.optimizer().get(Keys.DECAY_BIAS) && spec.optimizer().get(Keys.GROUP_LASSO) != null) {
            // group-lasso groups index w; the bias keeps every other penalty but no group term
            builder.group("bias", List.of(b), o -> o.withGroupLasso(GroupLasso.NONE));
        }
        Optimizer opt;
        try {
            opt = builder.build(List.of(w, b));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {                // the spec's optimizer does not fit its problem
            throw new ConfigException("optimizer: " + e.getMessage());
        }
        boolean stopOnNonFinite = spec.optimizer().get(Keys.NONFINITE).equals("error");

        List<double[]> wTraj = new ArrayList<>();
        double[] bTraj = new double[spec.steps() + 1];
        double[] loss = new double[spec.steps() + 1];
        double[] lrs = new double[spec.steps()];
        INDArray r = residual(x, y, w, b, p);
        wTraj.add(w.value().toDoubleVector());
        bTraj[0] = b.value().getDouble(0);
        loss[0] = mse(r);
        for (int t = 1; t <= spec.steps(); t++) {
            // grad_w = (2/n)·Xᵀr ; grad_b = (2/n)·Σr
            w.setGrad(x.transpose().mmul(r).muli(2.0 / n).reshape(p));
            b.setGrad(r.sum(0).muli(2.0 / n).reshape(1));
            if (stopOnNonFinite) checkDiverging(w, b, t, loss[t - 1]);
            lrs[t - 1] = opt.currentLr();
            opt.step();
            r = residual(x, y, w, b, p);
            wTraj.add(w.value().toDoubleVector());
            bTraj[t] = b.value().getDouble(0);
            loss[t] = mse(r);
        }
        opt.close();
        return new Result(wTraj, bTraj, loss, lrs, opt.skippedSteps(), opt.nonFiniteSteps());
    }

    /** Names the parameter whose gradient is non-finite or too large to take a norm of, with the step and loss. */
    private static void checkDiverging(Param w, Param b, int t, double lossBefore) {
        for (Param q : List.of(w, b)) {
            double[] g = q.grad().toDoubleVector();
            double max = 0, sumSq = 0;
            for (double v : g) {
                max = Math.max(max, Math.abs(v));
                sumSq += v * v;
            }
            if (!Double.isFinite(max) || Double.isNaN(max)) throw new NonFiniteGradientException(q.name(), t);
            if (!Double.isFinite(sumSq)) {
                throw new ArithmeticException("fit diverged at step " + t + ": the gradient of '" + q.name()
                        + "' is too large (max |g| = "
                        + max + ", loss " + lossBefore + "); lower lr, or set clip_global_norm");
            }
        }
    }

    private static INDArray residual(INDArray x, INDArray y, Param w, Param b, int p) {
        double bias = b.value().getDouble(0);
        if (Double.isNaN(bias) || BooleanIndexing.or(w.value(), Conditions.isNan())) {
            // every x·w + b is NaN (IEEE), but ND4J reads a NaN scalar operand (a 1×1 mmul, addi) as 1e-5 or 0
            return Nd4j.valueArrayOf(y.shape(), Double.NaN, y.dataType());
        }
        return x.mmul(w.value().reshape(p, 1)).addi(bias).subi(y);
    }

    private static double mse(INDArray r) {
        return r.mul(r).meanNumber().doubleValue();
    }
}
