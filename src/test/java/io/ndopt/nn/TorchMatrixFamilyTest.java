package io.ndopt.nn;

import static io.ndopt.nn.TorchTrajectoryTest.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.Parity;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.Rule;
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
 * Matrix-aware rules against PyTorch 2.13 itself on an MLP (tanh and relu hidden layers, softmax cross-entropy,
 * mini-batches with a partial one), after every step: Adafactor (factored second moment of the weights, a full one
 * of the biases, decay on weights only) and Muon for the hidden weight with an aux AdamW for the first and last
 * layers and the biases, both lr adjustments, with and without Nesterov. float64 to 1e-10, float32 to 1e-4.
 * Golden values: {@code resources/torch-family/generate_matrix.py}.
 */
class TorchMatrixFamilyTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"mlp_adafactor_torch.json, DOUBLE, 1e-10", "mlp_adafactor_torch.json, FLOAT, 1e-4",
            "mlp_muon_original_torch.json, DOUBLE, 1e-10", "mlp_muon_original_torch.json, FLOAT, 1e-4",
            "mlp_muon_match_rms_torch.json, DOUBLE, 1e-10", "mlp_muon_match_rms_torch.json, FLOAT, 1e-4"})
    void followsPytorch(String file, DataType dt, double tol) throws IOException {
        JsonNode g;
        try (InputStream in = getClass().getResourceAsStream("/torch-family/" + file)) {
            g = new ObjectMapper().readTree(in);
        }
        Activation[] acts = {Activation.TANH, Activation.RELU, Activation.IDENTITY};
        int[] sizes = new int[4];
        for (int i = 0; i < 3; i++) sizes[i] = g.get("W0").get(i).size();
        sizes[3] = g.get("W0").get(2).get(0).size();
        Dense[] layers = new Dense[3];
        for (int i = 0; i < 3; i++) {
            layers[i] = new Dense("l" + i, sizes[i], sizes[i + 1], acts[i], Init.XAVIER_UNIFORM, dt, i);
            layers[i].weight().setValue(matrix(g.get("W0").get(i), dt));
            layers[i].bias().setValue(matrix(g.get("b0").get(i), dt).reshape(1, sizes[i + 1]));
        }
        Sequential model = new Sequential(List.of(layers));
        Optimizer opt = optimizer(file).build(model.params());
        if (file.contains("muon")) assertEquals(List.of("l1.W"), opt.muonParams(), "Muon takes the hidden weight");
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

    private static io.ndopt.optim.OptimizerBuilder optimizer(String file) {
        if (file.contains("adafactor")) {
            return Optimizer.adafactor(0.05).weightDecay(0.1).beta2Decay(-0.8).adafactorEps(null, 1e-3);
        }
        boolean original = file.contains("original");
        return Optimizer.muon(0.02).weightDecay(0.1).momentum(0.95).nesterov(original)
                .adjustLr(original ? Rule.Muon.AdjustLr.ORIGINAL : Rule.Muon.AdjustLr.MATCH_RMS_ADAMW)
                .aux(Rule.Adam.defaults(), 3e-3, 0.01);
    }
}
