package io.ndopt.examples.consumer;

import static io.ndopt.examples.consumer.Check.require;

import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.param.Param;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The README's quick start: Adam + L2 and AdamW on the same linear least-squares model. Checks: both fit
 * (loss below 5 % of its start), they end differently, and with {@code -Dconsumer.expectFused=true} the fused
 * CPU kernels ran (the JVM has {@code --add-modules jdk.incubator.vector}).
 */
final class QuickStart {
    private QuickStart() {}

    static String run() {
        Nd4j.getRandom().setSeed(42);
        var X = Nd4j.randn(256, 20);  var y = X.mmul(Nd4j.randn(20, 1));
        double start = y.mul(y).meanNumber().doubleValue();           // the loss at w = 0, b = 0
        List<String> names = List.of("Adam+L2", "AdamW");
        List<OptimizerBuilder> recipes =
                List.of(Optimizer.adam(1e-2).weightDecay(1e-2), Optimizer.adamw(1e-2).weightDecay(1e-2));
        double[] norms = new double[2];
        StringBuilder line = new StringBuilder("quick start:");
        for (int k = 0; k < 2; k++) {
            String name = names.get(k);
            Param w = Param.weight("w", Nd4j.zeros(20, 1)), b = Param.bias("b", Nd4j.zeros(1, 1));
            Optimizer opt = recipes.get(k).build(List.of(w, b));          // the bias is never decayed (by role)
            INDArray r = null;
            for (int step = 0; step < 500; step++) {
                r = X.mmul(w.value()).addi(b.value().getDouble(0)).subi(y);           // residual
                w.setGrad(X.transpose().mmul(r).muli(2.0 / 256));                      // ∇ mean squared error
                b.setGrad(r.sum(0).muli(2.0 / 256).reshape(1, 1));
                opt.step();
            }
            double loss = r.mul(r).meanNumber().doubleValue();
            norms[k] = w.value().norm2Number().doubleValue();
            boolean fused = opt.lastStepFusedElements() > 0;
            require(Double.isFinite(loss) && loss < 0.05 * start,
                    name + ": loss " + loss + " after 500 steps is not below 5 % of the start " + start);
            require(opt.stepCount() == 500, name + ": " + opt.stepCount() + " steps counted, 500 taken");
            require(fused || !Boolean.getBoolean("consumer.expectFused"),
                    name + ": the fused kernels did not run (is --add-modules jdk.incubator.vector set?)");
            line.append(String.format(" %s ‖w‖ = %.4f, loss %.2e (start %.2f), fused %s;",
                    name, norms[k], loss, start, fused ? "yes" : "no"));
        }
        require(norms[0] != norms[1], "Adam+L2 and AdamW ended with the same ‖w‖ " + norms[0]);
        return line.toString();
    }
}
