package io.ndopt.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.Parity;
import io.ndopt.optim.UpdatePath;
import io.ndopt.optim.Optimizer;
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
 * An MLP (tanh and relu hidden layers, softmax cross-entropy, AdamW with decay on weights only)
 * follows PyTorch's trajectory over 8 mini-batch steps including partial batches, on both paths:
 * float64 to 1e-10, float32 to 1e-4. Golden values: {@code resources/nn/torch_mlp_trajectory.py}.
 */
class TorchTrajectoryTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"DOUBLE, FUSED, 1e-10", "DOUBLE, REFERENCE, 1e-10", "FLOAT, FUSED, 1e-4", "FLOAT, REFERENCE, 1e-4"})
    void followsPytorch(DataType dt, UpdatePath impl, double tol) throws IOException {
        JsonNode g;
        try (InputStream in = getClass().getResourceAsStream("/nn/mlp_adamw_torch.json")) {
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
        Sequential model = new Sequential(List.of(layers)).impl(impl);
        Optimizer opt = Optimizer.adamw(0.01).weightDecay(0.1).build(model.params());
        INDArray x = matrix(g.get("x"), dt), y = Nd4j.zeros(dt, 14, 2);
        for (int r = 0; r < 14; r++) y.putScalar(r, g.get("labels").get(r).asInt(), 1.0);
        int[] perm = IntStream.range(0, 14).toArray();
        for (int step = 0; step < 8; step++) {
            JsonNode b = g.get("batches").get(step % 3);
            double loss = model.lossAndGradients(x, y, perm, b.get(0).asInt(), b.get(1).asInt(),
                    Loss.SOFTMAX_CROSS_ENTROPY);
            opt.step();
            assertEquals(g.get("losses").get(step).asDouble(), loss, tol, "loss at step " + step);
        }
        for (int i = 0; i < 3; i++) {
            Parity.assertClose(matrix(g.get("W_final").get(i), DataType.DOUBLE),
                    layers[i].weight().value(), tol, "W" + i);
            INDArray b = matrix(g.get("b_final").get(i), DataType.DOUBLE).reshape(1, sizes[i + 1]);
            Parity.assertClose(b, layers[i].bias().value(), tol, "b" + i);
        }
    }

    static INDArray matrix(JsonNode n, DataType dt) {
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
