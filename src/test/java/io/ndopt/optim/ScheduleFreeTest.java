package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.param.Param;
import io.ndopt.regularize.Grouping;
import io.ndopt.schedule.Schedule;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Schedule-free AdamW: the first step in closed form, the numpy transcription of the reference (train and eval
 * points, two groups with their own sums, warmup, r, a cosine schedule), the eval/train switch and its state, and
 * the combinations the builder refuses.
 */
class ScheduleFreeTest {

    /** Step 1: c = 1, so y = z = y0 − lr·(d/(|d|+eps) + wd·y0) and the eval point is the same. */
    @Test void firstStepInClosedForm() {
        Param w = Param.weight("w", Nd4j.createFromArray(0.5, -1.0, 2.0));
        w.setGrad(Nd4j.createFromArray(0.3, 0.0, -4.0));
        Optimizer o = Optimizer.scheduleFreeAdamw(0.1).weightDecay(0.2).build(List.of(w));
        o.step();
        double[] g = {0.3, 0.0, -4.0}, y0 = {0.5, -1.0, 2.0};
        for (int i = 0; i < 3; i++) {
            double u = g[i] / (Math.abs(g[i]) + 1e-8) + 0.2 * y0[i];
            assertEquals(y0[i] - 0.1 * u, w.value().getDouble(i), 1e-15, "y[" + i + "]");
        }
        double[] y = w.value().toDoubleVector();
        o.evalMode();
        assertArrayEquals(y, w.value().toDoubleVector(), 1e-15);
    }

    @ParameterizedTest
    @EnumSource(UpdatePath.class)
    void matchesTheNumpyTranscription(UpdatePath path) throws Exception {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("/torch-family/schedule_free_reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        INDArray x = matrix(ref.at("/problem/X")), yy = matrix(ref.at("/problem/Y"));
        Param w = Param.weight("w", matrix(ref.at("/problem/w0")));
        Param b = Param.bias("b", vector(ref.at("/problem/b0")));
        JsonNode o = ref.get("optimizer");
        Optimizer opt = Optimizer.scheduleFreeAdamw(0.05).weightDecay(0.1).schedule(Schedule.cosine(0.05, 12, 0.002))
                .warmupSteps(3).averagingPower(0.5).weightLrPower(2).impl(path)
                .group("bias", List.of(b), g -> g.withLr(0.02)).build(List.of(w, b));
        assertTrue(opt.hasEvalPoint());
        int n = (int) x.rows(), k = (int) yy.columns();
        for (int t = 1; t <= o.get("steps").asInt(); t++) {
            INDArray r = x.mmul(w.value()).addiRowVector(b.value()).subi(yy);
            w.setGrad(x.transpose().mmul(r).muli(2.0 / (n * k)));
            b.setGrad(r.sum(0).muli(2.0 / (n * k)));
            opt.step();
            assertClose(ref.at("/expected/w_traj/" + t), w.value(), "y of w after step " + t);
            assertClose(ref.at("/expected/b_traj/" + t), b.value(), "y of b after step " + t);
            opt.evalMode();
            assertClose(ref.at("/expected/w_eval_traj/" + t), w.value(), "x of w after step " + t);
            assertClose(ref.at("/expected/b_eval_traj/" + t), b.value(), "x of b after step " + t);
            opt.trainMode();
        }
    }

    @Test void evalAndTrainModeSwitchBitwiseAndStepRefusesEvalMode() {
        Param w = Param.weight("w", Nd4j.createFromArray(0.5f, -1.0f, 2.0f, 0.25f));
        Optimizer o = Optimizer.scheduleFreeAdamw(0.05).build(List.of(w));
        for (int t = 0; t < 3; t++) {
            w.setGrad(Nd4j.createFromArray(0.3f * t - 0.2f, 0.1f, -4.0f, 1f / (t + 1)));
            o.step();
        }
        INDArray y = w.value().dup();
        INDArray z = o.stateDict().get("w.z");
        o.evalMode();
        assertTrue(o.inEvalMode());
        INDArray expected = y.add(z.sub(y).muli(1 - 1 / 0.9));                 // x = lerp(y, z, 1 − 1/β1)
        assertArrayEquals(expected.toFloatVector(), w.value().toFloatVector(), 0f);
        o.evalMode();                                                          // idempotent
        assertArrayEquals(expected.toFloatVector(), w.value().toFloatVector(), 0f);
        var e = assertThrows(IllegalStateException.class, o::step);
        assertTrue(e.getMessage().contains("trainMode"), e.getMessage());
        o.trainMode();
        assertFalse(o.inEvalMode());
        assertArrayEquals(y.toFloatVector(), w.value().toFloatVector(), 0f, "train point restored bit for bit");
    }

    /** A state saved at the eval point resumes the train point bit for bit, per-group sums included. */
    @Test void stateSavedInEvalModeResumesBitwise() {
        List<Param> a = params(), c = params();
        Optimizer straight = build(a), first = build(c);
        for (int t = 1; t <= 4; t++) {
            grads(a, t);
            grads(c, t);
            straight.step();
            first.step();
        }
        first.evalMode();
        Map<String, INDArray> saved = first.stateDict();
        assertEquals(1, saved.get("schedule_free.eval_mode").getLong(0));
        assertTrue(saved.containsKey("schedule_free.head.weight_sum") && saved.containsKey("schedule_free.default.lr_max"));
        List<Param> resumed = params();
        for (int i = 0; i < resumed.size(); i++) resumed.get(i).value().assign(c.get(i).value());   // the eval point
        Optimizer second = build(resumed);
        second.loadStateDict(saved);
        assertTrue(second.inEvalMode());
        second.trainMode();
        for (int t = 5; t <= 8; t++) {
            grads(a, t);
            grads(resumed, t);
            straight.step();
            second.step();
        }
        for (int i = 0; i < a.size(); i++) {
            INDArray x = a.get(i).value(), y = resumed.get(i).value();
            assertArrayEquals(x.reshape(x.length()).toDoubleVector(), y.reshape(y.length()).toDoubleVector(), 0.0);
        }
        Map<String, INDArray> bad = new java.util.LinkedHashMap<>(saved);
        bad.remove("schedule_free.head.lr_max");
        var e = assertThrows(IllegalArgumentException.class, () -> build(params()).loadStateDict(bad));
        assertTrue(e.getMessage().contains("schedule_free.head.lr_max"), e.getMessage());
    }

    /**
     * As the reference's {@code eval()}/{@code train()}, which interpolate only the parameters that have a {@code z}
     * (made at their first step with a gradient): a parameter that has never had a gradient stays where it is (in
     * both layouts and paths, and before any step), one that had a gradient earlier but not at the last step moves to
     * its eval point; train mode brings both back bit for bit.
     */
    @Test void evalModeMovesOnlyParametersThatHaveStepped() {
        for (UpdatePath impl : List.of(UpdatePath.REFERENCE, UpdatePath.AUTO)) {
            for (Layout layout : Layout.values()) {
                String where = impl + " " + layout;
                Param a = Param.weight("a", Nd4j.createFromArray(0.5, -1.0, 2.0));
                Param late = Param.weight("late", Nd4j.createFromArray(0.25, 0.75));
                Param never = Param.weight("never", Nd4j.createFromArray(3.0, -4.0));
                Optimizer o = Optimizer.scheduleFreeAdamw(0.1).impl(impl).layout(layout).build(List.of(a, late, never));
                INDArray never0 = never.value().dup();
                o.evalMode();                                    // before any step: nothing has a z
                assertEquals(List.of(0.5, -1.0, 2.0), doubles(a.value()), where);
                o.trainMode();
                for (int t = 0; t < 3; t++) {                   // late: gradients at steps 1 and 2 (y = z after step 1)
                    if (t == 2) late.clearGrad();
                    else late.setGrad(Nd4j.createFromArray(0.3 - t, 0.1));
                    a.setGrad(Nd4j.createFromArray(0.2 * t, -1.0, 0.7));
                    assertTrue(o.step());
                }
                INDArray aY = a.value().dup(), lateY = late.value().dup();
                Map<String, INDArray> st = o.stateDict();
                o.evalMode();
                assertEquals(doubles(never0), doubles(never.value()), where + ": a parameter without a z does not move");
                for (Param p : List.of(a, late)) {
                    INDArray y = p == a ? aY : lateY, x = y.dup();
                    ReferenceUpdate.scheduleFreeEvalPoint(Rule.ScheduleFreeAdamW.defaults(), x, st.get(p.name() + ".z"));
                    assertEquals(doubles(x), doubles(p.value()), where + ": " + p.name() + " at its eval point");
                    assertFalse(doubles(y).equals(doubles(x)), where + ": " + p.name() + "'s eval point differs from y");
                }
                o.trainMode();
                assertEquals(doubles(aY), doubles(a.value()), where);
                assertEquals(doubles(lateY), doubles(late.value()), where);
                assertEquals(doubles(never0), doubles(never.value()), where);
                o.close();
            }
        }
    }

    private static List<Double> doubles(INDArray a) {
        return java.util.Arrays.stream(a.castTo(DataType.DOUBLE).toDoubleVector()).boxed().toList();
    }

    @Test void refusesWhatItCannotHonourByName() {
        Param w = Param.weight("w", Nd4j.createFromArray(1.0, 2.0));
        var l1 = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.scheduleFreeAdamw(0.1).l1(0.01).build(List.of(w)));
        assertTrue(l1.getMessage().contains("l1") && l1.getMessage().contains("eval"), l1.getMessage());
        var gl = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.scheduleFreeAdamw(0.1).groupLasso(0.1, Grouping.rows()).build(List.of(w)));
        assertTrue(gl.getMessage().contains("group_lasso"), gl.getMessage());
        var paper = assertThrows(IllegalArgumentException.class, () -> Optimizer.scheduleFreeAdamw(0.1)
                .weightDecay(0.1).decayMode(DecayMode.DECOUPLED_SCHEDULE_ONLY).build(List.of(w)));
        assertTrue(paper.getMessage().contains("decoupled_schedule_only"), paper.getMessage());
        var amsgrad = assertThrows(IllegalArgumentException.class, () -> Optimizer.scheduleFreeAdamw(0.1).amsgrad(true));
        assertTrue(amsgrad.getMessage().contains("amsgrad"), amsgrad.getMessage());
        var warm = assertThrows(IllegalArgumentException.class, () -> Optimizer.adamw(0.1).warmupSteps(3));
        assertTrue(warm.getMessage().contains("schedule-free"), warm.getMessage());
        assertFalse(Optimizer.adamw(0.1).build(List.of(w)).hasEvalPoint());
    }

    private static Optimizer build(List<Param> ps) {
        return Optimizer.scheduleFreeAdamw(0.03).weightDecay(0.05).warmupSteps(2).averagingPower(1)
                .group("head", List.of(ps.get(1)), g -> g.withLr(0.01)).build(ps);
    }

    private static List<Param> params() {
        return List.of(Param.weight("w", Nd4j.createFromArray(new double[][] {{0.1, -0.2, 0.3}, {0.4, 0.0, -0.6}})),
                Param.bias("b", Nd4j.createFromArray(0.05, -0.05, 0.0)));
    }

    private static void grads(List<Param> ps, int t) {
        for (Param p : ps) {
            INDArray g = Nd4j.create(DataType.DOUBLE, p.shape());
            for (long i = 0; i < g.length(); i++) g.putScalar(i, Math.sin(7.0 * t + 3.0 * i) * (1 + i % 3));
            p.setGrad(g);
        }
    }

    private static void assertClose(JsonNode expected, INDArray actual, String what) {
        double[] a = actual.dup('c').reshape(actual.length()).toDoubleVector();
        double[] e = flat(expected);
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-12, what + " [" + i + "]");
    }

    private static double[] flat(JsonNode n) {
        if (!n.get(0).isArray()) return new ObjectMapper().convertValue(n, double[].class);
        double[][] m = new ObjectMapper().convertValue(n, double[][].class);
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static INDArray matrix(JsonNode n) { return Nd4j.createFromArray(new ObjectMapper().convertValue(n, double[][].class)); }

    private static INDArray vector(JsonNode n) { return Nd4j.createFromArray(new ObjectMapper().convertValue(n, double[].class)); }
}
