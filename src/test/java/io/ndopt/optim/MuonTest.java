package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.param.Param;
import io.ndopt.regularize.Grouping;
import io.ndopt.regularize.ParamMask;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Muon: a first step in closed form, which parameters it takes, its state, and the refusals. */
class MuonTest {

    /** Without Nesterov and with 0 Newton–Schulz steps, O = U/‖U‖ and U = B = (1 − μ)·d on step 1. */
    @Test void firstStepInClosedForm() {
        double[][] w0 = {{0.1, 0.2}, {-0.3, 0.4}, {0.5, -0.6}}, g = {{1, -2}, {0.5, 0}, {3, 1}};
        Param w = Param.weight("w", Nd4j.createFromArray(w0));
        w.setGrad(Nd4j.createFromArray(g));
        Optimizer o = Optimizer.muon(0.1).weightDecay(0.2).nesterov(false).momentum(0.9).newtonSchulz(1, 0, 0, 0)
                .muonParams(Rule.Muon.MuonParams.WEIGHTS).build(List.of(w));
        o.step();
        double norm = Math.sqrt(1 + 4 + 0.25 + 9 + 1);
        double lrAdj = 0.1 * Math.sqrt(3.0 / 2);                           // original: lr·sqrt(max(1, A/B))
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(w0[i][j] * (1 - 0.1 * 0.2) - lrAdj * g[i][j] / norm, w.value().getDouble(i, j), 1e-15);
            }
        }
        assertEquals(0.1 * g[2][0], o.stateDict().get("w.momentum_buffer").getDouble(2, 0), 1e-15);
    }

    /** Five steps of the quintic iteration leave the singular values of O in about (0.5, 1.5): O·Oᵀ ≈ I. */
    @Test void newtonSchulzOrthogonalizes() {
        INDArray u = Nd4j.createFromArray(new double[][] {{3, 1, 0.5, -2}, {0.2, -1, 4, 1}});
        INDArray o = ReferenceUpdate.newtonSchulz(Rule.Muon.defaults(), u);
        INDArray oot = o.mmul(o.transpose());
        for (int i = 0; i < 2; i++) {
            double s2 = oot.getDouble(i, i);
            assertTrue(s2 > 0.25 && s2 < 2.25, "singular value² " + s2);
        }
        assertTrue(Math.abs(oot.getDouble(0, 1)) < 0.5, "rows nearly orthogonal: " + oot);
    }

    /**
     * The in-place Newton–Schulz (one gemm per product into per-matrix workspaces) equals the reference on wide, tall
     * and square matrices, float64 to 1e-12 and float32 to 1e-5 (relative to the largest entry), for an even and an
     * odd number of iterations, and again on a second call with the same workspaces.
     */
    @Test void inPlaceNewtonSchulzEqualsTheReference() {
        long[][] shapes = {{7, 19}, {23, 6}, {9, 9}, {1, 5}, {5, 1}};
        for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            double tol = dt == DataType.DOUBLE ? 1e-12 : 1e-5;
            for (long[] shape : shapes) {
                for (Rule.Muon rule : List.of(Rule.Muon.defaults(), Rule.Muon.defaults().withNewtonSchulz(3.0, -3.2, 1.2, 1e-7, 3))) {
                    NewtonSchulz ns = new NewtonSchulz(dt, shape[0], shape[1]);
                    for (int call = 0; call < 2; call++) {
                        Nd4j.getRandom().setSeed(31 + call);
                        INDArray u = Nd4j.randn(DataType.DOUBLE, shape).castTo(dt);
                        INDArray want = ReferenceUpdate.newtonSchulz(rule, u);
                        INDArray got = ns.orthogonalize(rule, u);
                        String what = dt + " " + shape[0] + "x" + shape[1] + " ns_steps " + rule.nsSteps() + " call " + call;
                        assertEquals(List.of(shape[0], shape[1]), List.of(got.size(0), got.size(1)), what);
                        double scale = want.amaxNumber().doubleValue();
                        assertTrue(scale > 0.1, what);
                        double diff = want.castTo(DataType.DOUBLE).sub(got.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
                        assertTrue(diff <= tol * scale, what + ": max difference " + diff);
                    }
                }
            }
        }
    }

    @Test void takesTheHiddenWeightsByDefaultTheRestGoToTheAuxAdamW() {
        List<Param> mlp = List.of(Param.weight("fc1.W", Nd4j.rand(DataType.DOUBLE, 3, 5)),
                Param.bias("fc1.b", Nd4j.zeros(DataType.DOUBLE, 1, 5)),
                Param.weight("fc2.W", Nd4j.rand(DataType.DOUBLE, 5, 5)),
                Param.bias("fc2.b", Nd4j.zeros(DataType.DOUBLE, 1, 5)),
                Param.weight("out.W", Nd4j.rand(DataType.DOUBLE, 5, 2)),
                Param.bias("out.b", Nd4j.zeros(DataType.DOUBLE, 1, 2)));
        try (Optimizer hidden = Optimizer.muon(0.02).build(mlp)) {       // a parameter has one optimizer at a time
            assertEquals(List.of("fc2.W"), hidden.muonParams());
        }
        try (Optimizer weights = Optimizer.muon(0.02).muonParams(Rule.Muon.MuonParams.WEIGHTS).build(mlp)) {
            assertEquals(List.of("fc1.W", "fc2.W", "out.W"), weights.muonParams());
        }
        Optimizer byName = Optimizer.muon(0.02).muonParams(ParamMask.names("fc[12]\\.W")).build(mlp);
        assertEquals(List.of("fc1.W", "fc2.W"), byName.muonParams());
        for (Param p : mlp) p.setGrad(Nd4j.rand(DataType.DOUBLE, p.shape()));
        byName.step();
        Map<String, INDArray> st = byName.stateDict();
        assertTrue(st.containsKey("fc2.W.momentum_buffer") && st.containsKey("out.W.exp_avg")
                && st.containsKey("fc1.b.exp_avg_sq") && !st.containsKey("out.W.momentum_buffer"), st.keySet().toString());
    }

    @Test void refusesWhatItCannotHonourByName() {
        Param v = Param.weight("emb.v", Nd4j.rand(DataType.DOUBLE, 4));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.muon(0.02).muonParams(ParamMask.names("emb.*")).build(List.of(v)));
        assertTrue(e.getMessage().contains("'emb.v'") && e.getMessage().contains("2-D"), e.getMessage());
        Param w = Param.weight("w", Nd4j.rand(DataType.DOUBLE, 3, 4));
        var gl = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.muon(0.02).groupLasso(0.1, Grouping.rows()).build(List.of(w)));
        assertTrue(gl.getMessage().contains("group_lasso"), gl.getMessage());
        var aux = assertThrows(IllegalArgumentException.class, () -> Optimizer.adamw(0.1).aux(Rule.Adam.defaults(), 1, 0));
        assertTrue(aux.getMessage().contains("Muon only"), aux.getMessage());
    }
}
