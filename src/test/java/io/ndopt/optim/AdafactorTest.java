package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.param.Param;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Adafactor: first steps in closed form (vector and factored matrix), its state's shapes, and refusals. */
class AdafactorTest {

    /** ω = 1 at t = 1, so V = d² and U = sign(d): w1 = w0·(1 − lr·wd) − max(eps2, RMS(w0))·lr·sign(d). */
    @Test void vectorFirstStepInClosedForm() {
        Param w = Param.weight("w", Nd4j.createFromArray(0.5, -1.0, 2.0, 0.0));
        w.setGrad(Nd4j.createFromArray(0.3, -0.02, 4.0, -1.0));
        Optimizer.adafactor(0.1).weightDecay(0.2).build(List.of(w)).step();
        double[] w0 = {0.5, -1.0, 2.0, 0.0}, sign = {1, -1, 1, -1};
        double rms = Math.sqrt((0.25 + 1 + 4) / 4), alpha = rms * 0.1;
        for (int i = 0; i < 4; i++) {
            assertEquals(w0[i] * (1 - 0.1 * 0.2) - alpha * sign[i], w.value().getDouble(i), 1e-15, "w[" + i + "]");
        }
    }

    /** A rank-one d = a·bᵀ has d² = (a²)(b²)ᵀ, which the factored moment R·C/mean(R) recovers exactly: U = sign(d). */
    @Test void factoredFirstStepRecoversARankOneSecondMoment() {
        double[] a = {1, -2, 0.5}, b = {0.25, 4};
        double[][] w0 = {{0.1, 0.2}, {-0.3, 0.4}, {0.5, -0.6}}, g = new double[3][2];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) g[i][j] = a[i] * b[j];
        Param w = Param.weight("w", Nd4j.createFromArray(w0));
        w.setGrad(Nd4j.createFromArray(g));
        Optimizer o = Optimizer.adafactor(0.05).adafactorEps(null, 1e-3).build(List.of(w));
        o.step();
        double rms = Math.sqrt((0.01 + 0.04 + 0.09 + 0.16 + 0.25 + 0.36) / 6);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(w0[i][j] - rms * 0.05 * Math.signum(g[i][j]), w.value().getDouble(i, j), 1e-12);
            }
        }
        Map<String, INDArray> st = o.stateDict();
        assertArrayEquals(new long[] {3, 1}, st.get("w.row_var").shape());
        assertArrayEquals(new long[] {1, 2}, st.get("w.col_var").shape());
        assertEquals((a[0] * a[0]) * (b[0] * b[0] + b[1] * b[1]) / 2, st.get("w.row_var").getDouble(0, 0), 1e-14);
    }

    @Test void stateHasTheParametersShapesAndLoadChecksThem() {
        Param w = Param.weight("w", Nd4j.rand(DataType.FLOAT, 4, 3));
        Param bias = Param.bias("b", Nd4j.rand(DataType.FLOAT, 1, 3));       // ND4J's bias row: a vector
        for (Param p : List.of(w, bias)) p.setGrad(Nd4j.rand(DataType.FLOAT, p.shape()));
        Optimizer o = Optimizer.adafactor(0.01).build(List.of(w, bias));
        o.step();
        Map<String, INDArray> st = o.stateDict();
        assertArrayEquals(new long[] {1, 3}, st.get("b.variance").shape());
        assertTrue(!st.containsKey("b.row_var"));
        o.close();                                           // a parameter has one optimizer at a time
        Optimizer fresh = Optimizer.adafactor(0.01).build(List.of(w, bias));
        fresh.loadStateDict(st);
        assertEquals(st.get("w.col_var"), fresh.stateDict().get("w.col_var"));
        Map<String, INDArray> bad = new LinkedHashMap<>(st);
        bad.put("w.row_var", Nd4j.zeros(DataType.FLOAT, 1, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> fresh.loadStateDict(bad));
        assertTrue(e.getMessage().contains("'w.row_var' has shape [1, 4]"), e.getMessage());
    }

    /** As PyTorch: (…, A, B) is a batch of A×B matrices, each factored, with row_var (…, A, 1) and col_var (…, 1, B). */
    @Test void factorsABatchOfMatricesAsTorch() {
        Param k = Param.weight("k", Nd4j.rand(DataType.DOUBLE, 2, 3, 4).subi(0.5));
        Param one = Param.weight("one", Nd4j.rand(DataType.DOUBLE, 3, 4).subi(0.5));
        one.value().assign(k.value().slice(1));
        for (Param p : List.of(k, one)) p.setGrad(Nd4j.rand(DataType.DOUBLE, p.shape()));
        one.grad().assign(k.grad().slice(1));
        Optimizer batched = Optimizer.adafactor(0.01).build(List.of(k));
        batched.step();
        Map<String, INDArray> st = batched.stateDict();
        assertArrayEquals(new long[] {2, 3, 1}, st.get("k.row_var").shape());
        assertArrayEquals(new long[] {2, 1, 4}, st.get("k.col_var").shape());
        Optimizer single = Optimizer.adafactor(0.01).build(List.of(one));
        single.step();
        assertEquals(single.stateDict().get("one.row_var").reshape(3), st.get("k.row_var").slice(1).reshape(3));
    }

    @Test void refusesBadFieldsByName() {
        var d = assertThrows(IllegalArgumentException.class, () -> Optimizer.adafactor(0.01).clipThreshold(0.5));
        assertTrue(d.getMessage().contains(">= 1"), d.getMessage());
        var b = assertThrows(IllegalArgumentException.class, () -> Optimizer.adafactor(0.01).beta2Decay(0.5));
        assertTrue(b.getMessage().contains("beta2_decay"), b.getMessage());
        var notAda = assertThrows(IllegalArgumentException.class, () -> Optimizer.adamw(0.01).beta2Decay(-0.5));
        assertTrue(notAda.getMessage().contains("Adafactor only"), notAda.getMessage());
    }
}
