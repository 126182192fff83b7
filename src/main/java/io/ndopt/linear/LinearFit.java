package io.ndopt.linear;

import io.ndopt.backend.Precision;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.param.Param;
import io.ndopt.param.Role;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Full-batch training of {@code pred = X·w + b} on the MSE loss {@code (1/n)·Σ(x·w + b − y)²}
 * (no ½), with gradients {@code (2/n)·Xᵀr} and {@code (2/n)·Σr}: the conformance contract.
 */
public final class LinearFit {
    private LinearFit() {}

    /** The trajectory of a run: parameters after each step (index 0 = start) and the data loss there. */
    public record Result(List<double[]> wTraj, double[] bTraj, double[] loss, double[] lrPerStep, long skippedSteps) {
        public double[] wFinal() { return wTraj.get(wTraj.size() - 1); }
        public double bFinal() { return bTraj[bTraj.length - 1]; }
        public int finalZeroCount() {
            int z = 0;
            for (double v : wFinal()) if (v == 0.0) z++;
            return z;
        }
    }

    public static Result run(LinearSpec spec, Precision precision) {
        DataType dt = precision.dtype();
        int n = spec.n(), p = spec.p();
        INDArray x = Nd4j.createFromArray(spec.x()).castTo(dt);
        INDArray y = Nd4j.createFromArray(spec.y()).castTo(dt).reshape(n, 1);
        Param w = Param.weight("w", Nd4j.createFromArray(spec.w0()).castTo(dt));
        Param b = Param.bias("b", Nd4j.createFromArray(new double[] {spec.b0()}).castTo(dt));
        OptimizerBuilder builder = spec.optimizer().toBuilder(spec.schedule()).clipNorm(spec.clipGlobalNorm());
        if (spec.regularizeBias()) {
            builder.regularize(Role.WEIGHT, Role.BIAS);
            // group-lasso groups index w; the bias keeps every other penalty but no group term
            builder.group("bias", List.of(b), o -> o.withGroupLasso(io.ndopt.regularize.GroupLasso.NONE));
        }
        Optimizer opt = builder.build(List.of(w, b));

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
            lrs[t - 1] = opt.currentLr();
            opt.step();
            r = residual(x, y, w, b, p);
            wTraj.add(w.value().toDoubleVector());
            bTraj[t] = b.value().getDouble(0);
            loss[t] = mse(r);
        }
        return new Result(wTraj, bTraj, loss, lrs, opt.skippedSteps());
    }

    private static INDArray residual(INDArray x, INDArray y, Param w, Param b, int p) {
        return x.mmul(w.value().reshape(p, 1)).addi(b.value().getDouble(0)).subi(y);
    }

    private static double mse(INDArray r) {
        return r.mul(r).meanNumber().doubleValue();
    }
}
