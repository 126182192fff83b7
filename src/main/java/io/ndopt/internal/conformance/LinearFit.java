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
 * Full-batch training of {@code pred = X·W + b} on the MSE loss {@code (1/(n·k))·Σ(x·W + b − y)²}
 * (no ½, the mean over all n·k residuals), with gradients {@code (2/(n·k))·XᵀR} and {@code (2/(n·k))·Σ_rows R}:
 * the conformance contract. A single-output problem ({@link LinearSpec#outputs()} = 0) trains {@code w} of shape
 * (p) and a bias of one entry; a multi-output one {@code W} of shape (p, k) and a bias of k entries.
 */
public final class LinearFit {
    private LinearFit() {}

    /**
     * The trajectory of a run: parameters after each step (index 0 = start) and the data loss there. Weights
     * are flattened row-major (p·k values), biases hold k values.
     *
     * @param outputs   the spec's {@link LinearSpec#outputs()} (0 = single-output form)
     * @param wEvalTraj the eval point's weights after each step, for a rule that has one (schedule-free); else null
     * @param bEvalTraj the eval point's biases likewise; else null
     */
    public record Result(int outputs, List<double[]> wTraj, List<double[]> bTraj, double[] loss, double[] lrPerStep,
                         long skippedSteps, long nonFiniteSteps, List<double[]> wEvalTraj, List<double[]> bEvalTraj) {
        public double[] wFinal() { return wTraj.get(wTraj.size() - 1); }
        public double[] bFinal() { return bTraj.get(bTraj.size() - 1); }
        /** The bias after step {@code t} of a single-output run (its one entry). */
        public double b(int t) { return bTraj.get(t)[0]; }
        public int steps() { return wTraj.size() - 1; }
        public boolean hasEvalPoint() { return wEvalTraj != null; }
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
        int n = spec.n(), p = spec.p(), k = spec.k();
        boolean multi = spec.outputs() > 0;
        INDArray x = Nd4j.createFromArray(spec.x()).castTo(dt);
        INDArray y = Nd4j.createFromArray(spec.y()).castTo(dt);
        INDArray w0 = Nd4j.createFromArray(spec.w0()).castTo(dt);
        Param w = Param.weight("w", multi ? w0 : w0.reshape(p));
        Param b = Param.bias("b", Nd4j.createFromArray(spec.b0()).castTo(dt));
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
        boolean eval = opt.hasEvalPoint();

        List<double[]> wTraj = new ArrayList<>(), bTraj = new ArrayList<>();
        List<double[]> wEval = eval ? new ArrayList<>() : null, bEval = eval ? new ArrayList<>() : null;
        double[] loss = new double[spec.steps() + 1];
        double[] lrs = new double[spec.steps()];
        INDArray r = residual(x, y, w, b, p, k);
        record(w, b, wTraj, bTraj);
        if (eval) record(w, b, wEval, bEval);
        loss[0] = mse(r);
        double scale = 2.0 / ((double) n * k);
        for (int t = 1; t <= spec.steps(); t++) {
            // grad_W = (2/(n·k))·XᵀR ; grad_b = (2/(n·k))·Σ_rows R
            w.setGrad(x.transpose().mmul(r).muli(scale).reshape(w.shape()));
            b.setGrad(r.sum(0).muli(scale).reshape(k));
            if (stopOnNonFinite) checkDiverging(w, b, t, loss[t - 1]);
            lrs[t - 1] = opt.currentLr();
            opt.step();
            r = residual(x, y, w, b, p, k);
            record(w, b, wTraj, bTraj);
            loss[t] = mse(r);
            if (eval) {
                opt.evalMode();
                record(w, b, wEval, bEval);
                opt.trainMode();
            }
        }
        opt.close();
        return new Result(spec.outputs(), wTraj, bTraj, loss, lrs, opt.skippedSteps(), opt.nonFiniteSteps(),
                wEval, bEval);
    }

    private static void record(Param w, Param b, List<double[]> ws, List<double[]> bs) {
        ws.add(flat(w.value()));
        bs.add(flat(b.value()));
    }

    /** The values in row-major order. */
    private static double[] flat(INDArray a) { return a.dup('c').reshape(a.length()).toDoubleVector(); }

    /** Names the parameter whose gradient is non-finite or too large to take a norm of, with the step and loss. */
    private static void checkDiverging(Param w, Param b, int t, double lossBefore) {
        for (Param q : List.of(w, b)) {
            double[] g = flat(q.grad());
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

    /**
     * {@code R = X·W + b − Y}, n×k. A NaN in column j of W or in b_j makes column j of R NaN (IEEE), set here:
     * ND4J reads a NaN scalar operand (a 1×1 mmul, a one-entry add) as 1e-5 or 0.
     */
    private static INDArray residual(INDArray x, INDArray y, Param w, Param b, int p, int k) {
        INDArray wm = w.value().reshape(p, k), bv = b.value().reshape(1, k);
        INDArray r = x.mmul(wm).addiRowVector(bv).subi(y);
        if (BooleanIndexing.or(wm, Conditions.isNan()) || BooleanIndexing.or(bv, Conditions.isNan())) {
            for (int j = 0; j < k; j++) {
                if (Double.isNaN(bv.getDouble(0, j)) || BooleanIndexing.or(wm.getColumn(j), Conditions.isNan())) {
                    r.getColumn(j).assign(Double.NaN);
                }
            }
        }
        return r;
    }

    private static double mse(INDArray r) {
        return r.mul(r).meanNumber().doubleValue();
    }
}
