package io.ndopt.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import io.ndopt.train.TrainResult;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The README's Java examples, as written there, compile and do what the text says. */
class ReadmeExampleTest {
    @Test
    void quickStartAdamVsAdamw() {
        Nd4j.getRandom().setSeed(1);
        List<Double> norms = new ArrayList<>();
        var X = Nd4j.randn(256, 20);  var y = X.mmul(Nd4j.randn(20, 1));
        for (var recipe : List.of(Optimizer.adam(1e-2).weightDecay(1e-2), Optimizer.adamw(1e-2).weightDecay(1e-2))) {
            Param w = Param.weight("w", Nd4j.zeros(20, 1)), b = Param.bias("b", Nd4j.zeros(1, 1));
            Optimizer opt = recipe.build(List.of(w, b));
            for (int step = 0; step < 500; step++) {
                var r = X.mmul(w.value()).addi(b.value().getDouble(0)).subi(y);
                w.setGrad(X.transpose().mmul(r).muli(2.0 / 256));
                b.setGrad(r.sum(0).muli(2.0 / 256).reshape(1, 1));
                opt.step();
            }
            norms.add(w.value().norm2Number().doubleValue());
        }
        assertTrue(norms.get(0) > 0.5 && norms.get(1) > 0.5 && !norms.get(0).equals(norms.get(1)), norms.toString());
    }

    @Test
    void denseNetworkInAFewLines() {
        var data = Synthetic.moons(1000, 0.2, 0.1, 42, DataType.FLOAT).split(0.2, 42);
        Sequential mlp = Sequential.mlp(2, new int[] {64, 64}, 1, Activation.RELU, Activation.IDENTITY,
                DataType.FLOAT, 42);
        Optimizer opt = Optimizer.adamw(3e-3).weightDecay(1e-2).l1(1e-4).build(mlp.params());
        TrainResult r = new Trainer(mlp, Loss.BCE_WITH_LOGITS, opt, TrainerOptions.defaults().withEpochs(30))
                .fit(data[0], data[1]);
        assertTrue(r.last().valMetric() > 0.8, "validation accuracy " + r.last().valMetric());
        assertTrue(r.sparsity().layers().size() == 3);
    }
}
