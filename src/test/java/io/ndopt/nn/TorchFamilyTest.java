package io.ndopt.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.Parity;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.OptimizerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix-aware rules against PyTorch 2.x itself on an MLP (tanh and relu hidden layers, softmax cross-entropy,
 * mini-batches with a partial one), every step: Adafactor (factored second moment of the weights, a full one of the
 * biases, decay on weights only). float64 to 1e-10, float32 to 1e-4. Golden values:
 * {@code resources/torch-family/generate_matrix.py}.
 */
class TorchFamilyTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"mlp_adafactor_torch.json, DOUBLE, 1e-10", "mlp_adafactor_torch.json, FLOAT, 1e-4"})
    void followsPytorch(String file, DataType dt, double tol) throws IOException {
        JsonNode g;
        try (InputStream in = getClass().getResourceAsStream("/torch-family/" + file)) {
            g = new ObjectMapper().readTree(in);
        }
        Activation[] acts = {Activation.TANH, Activation.RELU, Activation.IDENTITY};
        int[] sizes = {3, 5, 4, 2};
        Dense[] layers = new Dense[3];
        for (int i = 0; i < 3; i++) {
            layers[i] = new Dense("l" + i, sizes[i], sizes[i + 1], acts[i], Init.XAVIER_UNIFORM, dt, i);
            layers[i].weight().setValue(matrix(g.get("W0").get(i), dt));
            layers[i].bias().setValue(matrix(g.get("b0").get(i), dt).reshape(1, sizes[i + 1]));
        }
        Sequential model = new Sequential(List.of(layers));
        OptimizerBuilder b = Optimizer.adafactor(0.05).weightDecay(0.1).beta2Decay(-0.8).adafactorEps(null, 1e-3);
        Optimizer opt = b.build(model.params());
        INDArray x = matrix(g.get("x"), dt), y = Nd4j.zeros(dt, 14, 2);
        for (int r = 0; r < 14; r++) y.putScalar(r, g.get("labels").get(r).asInt(), 1.0);
        int[] perm = IntStream.range(0, 14).toArray();
        for (int step = 0; step < g.get("losses").size(); step++) {
            JsonNode batch = g.get("batches").get(step % 3);
            double loss = model.lossAndGradients(x, y, perm, batch.get(0).asInt(), batch.get(1).asInt(),
                    Loss.SOFTMAX_CROSS_ENTROPY);
            opt.step();
            assertEquals(g.get("losses").get(step).asDouble(), loss, tol, "loss at step " + step);
            for (int i = 0; i < 3; i++) {
                Parity.assertClose(matrix(g.get("W_traj").get(step).get(i), DataType.DOUBLE),
                        layers[i].weight().value(), tol, "W" + i + " after step " + (step + 1));
                INDArray bias = matrix(g.get("b_traj").get(step).get(i), DataType.DOUBLE).reshape(1, sizes[i + 1]);
                Parity.assertClose(bias, layers[i].bias().value(), tol, "b" + i + " after step " + (step + 1));
            }
        }
    }

    private static INDArray matrix(JsonNode n, DataType dt) {
        if (!n.get(0).isArray()) {
            double[] v = new double[n.size()];
            for (int i = 0; i < v.length; i++) v[i] = n.get(i).asDouble();
            return Nd4j.createFromArray(v).castTo(dt);
        }
        double[][] v = new double[n.size()][n.get(0).size()];
        for (int i = 0; i < v.length; i++) for (int j = 0; j < v[i].length; j++) v[i][j] = n.get(i).get(j).asDouble();
        return Nd4j.createFromArray(v).castTo(dt);
    }
}
