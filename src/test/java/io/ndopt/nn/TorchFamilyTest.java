package io.ndopt.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.Parity;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import io.ndopt.optim.UpdatePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 5-8-3 MLP (tanh, softmax cross-entropy, 10 mini-batch steps, weight decay on the weights only) follows PyTorch
 * 2.x's own RMSprop, Adagrad, Adadelta, Adamax, NAdam and RAdam (coupled and decoupled decay) and Rprop, and a NumPy
 * transcription of google/automl's Lion, parameter by parameter after every step: float64 to 1e-10 on both update
 * paths, float32 to 1e-4. Golden values and their generator: {@code resources/torch-family/generate.py}.
 */
class TorchFamilyTest {
    private static final Map<String, Supplier<OptimizerBuilder>> RULES = Map.ofEntries(
            Map.entry("rmsprop_centered_momentum", () -> Optimizer.rmsprop(0.01).alpha(0.9).eps(1e-8).momentum(0.9)
                    .centered(true).weightDecay(0.01)),
            Map.entry("rmsprop", () -> Optimizer.rmsprop(0.01)),
            Map.entry("adagrad", () -> Optimizer.adagrad(0.1).lrDecay(0.01).initialAccumulatorValue(0.1).eps(1e-10)
                    .weightDecay(0.01)),
            Map.entry("adadelta", () -> Optimizer.adadelta(1.0).rho(0.9).eps(1e-6).weightDecay(0.01)),
            Map.entry("adamax", () -> Optimizer.adamax(0.02).betas(0.9, 0.999).eps(1e-8).weightDecay(0.01)),
            Map.entry("nadam", () -> Optimizer.nadam(0.02).momentumDecay(4e-3).weightDecay(0.01)),
            Map.entry("nadam_decoupled", () -> Optimizer.nadam(0.02).decoupledWeightDecay(true).weightDecay(0.1)),
            Map.entry("radam", () -> Optimizer.radam(0.02).weightDecay(0.01)),
            Map.entry("radam_decoupled", () -> Optimizer.radam(0.02).decoupledWeightDecay(true).weightDecay(0.1)),
            Map.entry("rprop", () -> Optimizer.rprop(0.01).etas(0.5, 1.2).stepSizes(1e-6, 50)),
            Map.entry("lion", () -> Optimizer.lion(3e-3).betas(0.9, 0.99).weightDecay(0.1)));
    private static final JsonNode GOLDEN = read();

    private static JsonNode read() {
        try (InputStream in = TorchFamilyTest.class.getResourceAsStream("/torch-family/trajectories.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode run : GOLDEN.get("runs")) {
            String name = run.get("name").asText();
            out.add(Arguments.of(name, DataType.DOUBLE, UpdatePath.FUSED, 1e-10));
            out.add(Arguments.of(name, DataType.DOUBLE, UpdatePath.REFERENCE, 1e-10));
            out.add(Arguments.of(name, DataType.FLOAT, UpdatePath.FUSED, 1e-4));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("runs")
    void followsPytorch(String name, DataType dt, UpdatePath impl, double tol) {
        JsonNode run = null;
        for (JsonNode r : GOLDEN.get("runs")) if (r.get("name").asText().equals(name)) run = r;
        int[] sizes = {5, 8, 3};
        Activation[] acts = {Activation.TANH, Activation.IDENTITY};
        Dense[] layers = new Dense[2];
        for (int i = 0; i < 2; i++) {
            layers[i] = new Dense("l" + i, sizes[i], sizes[i + 1], acts[i], Init.XAVIER_UNIFORM, dt, i);
            layers[i].weight().setValue(TorchTrajectoryTest.matrix(GOLDEN.get("W0").get(i), dt));
            layers[i].bias().setValue(TorchTrajectoryTest.matrix(GOLDEN.get("b0").get(i), dt).reshape(1, sizes[i + 1]));
        }
        Sequential model = new Sequential(List.of(layers)).impl(impl);
        Optimizer opt = RULES.get(name).get().impl(impl).build(model.params());
        int n = GOLDEN.get("labels").size();
        INDArray x = TorchTrajectoryTest.matrix(GOLDEN.get("x"), dt), y = Nd4j.zeros(dt, n, 3);
        for (int r = 0; r < n; r++) y.putScalar(r, GOLDEN.get("labels").get(r).asInt(), 1.0);
        int[] perm = IntStream.range(0, n).toArray();
        for (int step = 0; step < run.get("losses").size(); step++) {
            JsonNode b = GOLDEN.get("batches").get(step % 3);
            double loss = model.lossAndGradients(x, y, perm, b.get(0).asInt(), b.get(1).asInt(),
                    Loss.SOFTMAX_CROSS_ENTROPY);
            opt.step();
            assertEquals(run.get("losses").get(step).asDouble(), loss, tol, name + ": loss at step " + step);
            JsonNode after = run.get("trajectory").get(step);
            for (int i = 0; i < 2; i++) {
                Parity.assertClose(TorchTrajectoryTest.matrix(after.get("W").get(i), DataType.DOUBLE), layers[i].weight().value(), tol,
                        name + ": W" + i + " after step " + (step + 1));
                Parity.assertClose(TorchTrajectoryTest.matrix(after.get("b").get(i), DataType.DOUBLE).reshape(1, sizes[i + 1]),
                        layers[i].bias().value(), tol, name + ": b" + i + " after step " + (step + 1));
            }
        }
    }
}
