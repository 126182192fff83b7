package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.TestArrays;
import io.ndopt.device.Device;
import io.ndopt.param.Param;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.GroupProx;
import io.ndopt.regularize.Grouping;
import io.ndopt.regularize.PenaltyFactors;
import io.ndopt.regularize.Prox;
import io.ndopt.schedule.Schedule;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Where the group prox sits in a step, for every rule, on both paths; penalty factors and schedules. */
class GroupLassoStepTest {
    private static final Random R = new Random(21);

    @Test
    void sgdStepIsGradientStepThenGroupShrinkHandDerived() {
        // w = [[3, 4], [0.3, 0.4]], g = 0; lr 0.5, λ 1, rows, c = √2: threshold 0.7071 → row 1 (norm 0.5) to 0
        for (UpdatePath impl : new UpdatePath[] {UpdatePath.REFERENCE, UpdatePath.AUTO}) {
            Param w = Param.weight("w", Nd4j.createFromArray(new double[][] {{3, 4}, {0.3, 0.4}}));
            Optimizer o0 = Optimizer.sgd(0.5).groupLasso(1.0, Grouping.rows()).impl(impl).build(List.of(w));
            o0.zeroGrad();                                    // a zero gradient, set
            o0.step();
            double s = 1 - 0.5 * Math.sqrt(2) / 5;
            assertEquals(3 * s, w.value().getDouble(0, 0), 1e-15, impl.toString());
            assertEquals(4 * s, w.value().getDouble(0, 1), 1e-15);
            assertEquals(0.0, w.value().getRow(1).norm1Number().doubleValue(), 0.0);
        }
    }

    @Test
    void proxFollowsTheUpdateForEveryRule() {
        List<Supplier<OptimizerBuilder>> rules = List.of(
                () -> Optimizer.sgd(0.1).momentum(0.9).nesterov(true),
                () -> Optimizer.adam(0.05).weightDecay(0.01),
                () -> Optimizer.adamw(0.05).weightDecay(0.1).schedule(Schedule.cosine(0.05, 5, 0.01)));
        for (Supplier<OptimizerBuilder> rule : rules) {
            for (UpdatePath impl : new UpdatePath[] {UpdatePath.REFERENCE, UpdatePath.AUTO}) {
                INDArray w0 = TestArrays.randn(DataType.DOUBLE, R, 5, 3);
                Param plain = Param.weight("w", w0.dup()), grouped = Param.weight("w", w0.dup());
                Optimizer a = rule.get().impl(impl).build(List.of(plain));
                a.zeroGrad();                                    // a zero gradient, set
                Optimizer b = rule.get().impl(impl).groupLasso(GroupLasso.columns(0.7)).build(List.of(grouped));
                b.zeroGrad();                                    // a zero gradient, set
                for (int t = 1; t <= 3; t++) {
                    INDArray g = TestArrays.randn(DataType.DOUBLE, R, 5, 3);
                    plain.setGrad(g);
                    grouped.setGrad(g);
                    plain.setValue(grouped.value());                          // same start every step
                    a.step();
                    b.step();
                    double threshold = a.groups().get(0).options().lr().lr(t - 1) * 0.7;
                    GroupProx.groupShrinki(plain.value(), Grouping.columns(),
                            new double[] {Math.sqrt(5), Math.sqrt(5), Math.sqrt(5)}, threshold);
                    assertEquals(plain.value(), grouped.value(), rule.get().currentRule() + " " + impl + " step " + t);
                }
            }
        }
    }

    @Test
    void sparseGroupLassoIsL1ThenGroup() {
        INDArray z = Nd4j.createFromArray(new double[][] {{0.5, 0.05, -0.4}, {0.2, -0.9, 0.06}});
        Param w = Param.weight("w", z.dup());
        Optimizer o0 = Optimizer.sgd(1.0).l1(0.1).groupLasso(GroupLasso.rows(0.2)).build(List.of(w));
        o0.zeroGrad();                                    // a zero gradient, set
        o0.step();      // g = 0: z stays
        INDArray expected = Prox.softThresholdi(z.dup(), 0.1);
        GroupProx.groupShrinki(expected, Grouping.rows(), new double[] {Math.sqrt(3), Math.sqrt(3)}, 0.2);
        assertEquals(expected, w.value());
        INDArray otherOrder = z.dup();
        GroupProx.groupShrinki(otherOrder, Grouping.rows(), new double[] {Math.sqrt(3), Math.sqrt(3)}, 0.2);
        assertNotEquals(Prox.softThresholdi(otherOrder, 0.1), w.value(), "the order matters on this data");
    }

    @Test
    void penaltyFactorsScaleThresholdsAndZeroMeansUnpenalized() {
        INDArray z = Nd4j.createFromArray(new double[][] {{0.05, 1.0}, {0.05, 0.05}, {0.01, 0.02}});
        for (UpdatePath impl : new UpdatePath[] {UpdatePath.REFERENCE, UpdatePath.AUTO}) {
            Param w = Param.weight("w", z.dup());
            Optimizer o0 = Optimizer.sgd(1.0).l1(0.1).groupLasso(GroupLasso.rows(1.0).withWeights(1, 1, 1)).impl(impl)
                    .penaltyFactors(w, new PenaltyFactors(Nd4j.createFromArray(new double[][] {{0, 0.5}, {1, 1},
                            {0, 0}}), new double[] {0.1, 1, 0}))
                    .build(List.of(w));
            o0.zeroGrad();                                    // a zero gradient, set
            o0.step();
            // row 0: L1 thresholds 0 and 0.05 → [0.05, 0.95], norm 0.9513; group threshold 0.1 → scale 1 − 0.1/0.9513
            double n0 = Math.hypot(0.05, 0.95);
            assertEquals(0.05 * (1 - 0.1 / n0), w.value().getDouble(0, 0), 1e-15, impl.toString());
            assertEquals(0.95 * (1 - 0.1 / n0), w.value().getDouble(0, 1), 1e-15);
            assertEquals(0.0, w.value().getRow(1).norm1Number().doubleValue(), 0.0);      // L1 zeroes it
            assertEquals(z.getRow(2), w.value().getRow(2), "factors 0: untouched by L1 and by the group prox");
        }
    }

    @Test
    void penaltyScheduleRampsTheStrengthIndependentlyOfLr() {
        Param w = Param.weight("w", Nd4j.createFromArray(new double[][] {{10.0, 0}, {0, 10.0}}));
        Optimizer opt = Optimizer.sgd(0.5).schedule(Schedule.exponential(0.5, 0.5))
                .groupLasso(GroupLasso.rows(1.0).withWeights(1, 1))
                .penaltySchedule("group_lasso", Schedule.linearWarmup(1, 4)).build(List.of(w));
        opt.zeroGrad();                                    // a zero gradient, set
        double expected = 10;
        for (int t = 1; t <= 6; t++) {
            opt.step();
            double lr = 0.5 * Math.pow(0.5, t - 1), m = Math.min(1, t / 4.0);
            expected -= lr * 1.0 * m;                          // the norm of a group shrinks by exactly lr_t·λ_t·c
            assertEquals(expected, w.value().getDouble(0, 0), 1e-13, "step " + t);
        }
        Param v = Param.weight("v", Nd4j.createFromArray(2.0, -2.0));
        Optimizer l1 = Optimizer.sgd(0.1).l1(1).weightDecay(0).penaltySchedule("l1", Schedule.step(7, 1, 0.5))
                .build(List.of(v));
        l1.zeroGrad();                                    // a zero gradient, set
        l1.step();
        l1.step();
        assertEquals(2 - 0.1 - 0.05, v.value().getDouble(0), 1e-15);   // thresholds 0.1·1·1, then 0.1·1·0.5
    }

    @Test
    void penaltyValueIncludesFactorsGroupsAndScheduledStrengths() {
        // w = [[3, 4], [0, 1]], b not regularized; l1 0.1 with factors [[1, 0], [2, 1]], l2 0.2, group lasso 0.5
        // by rows (c = √2)
        Param w = Param.weight("w", Nd4j.createFromArray(new double[][] {{3, 4}, {0, 1}})),
                b = Param.bias("b", Nd4j.createFromArray(new double[][] {{5.0}}));
        Optimizer opt = Optimizer.sgd(0.0).l1(0.1).l2(0.2).groupLasso(GroupLasso.rows(0.5))
                .penaltyFactors(w, PenaltyFactors.perWeight(Nd4j.createFromArray(new double[][] {{1, 0}, {2, 1}})))
                .penaltySchedule("group_lasso", Schedule.step(1, 1, 0.5)).build(List.of(w, b));
        opt.zeroGrad();                                    // a zero gradient, set
        double l1 = 0.1 * (3 + 0 + 0 + 1), l2 = 0.5 * 0.2 * (9 + 16 + 1), group = Math.sqrt(2) * (5 + 1);
        assertEquals(l1 + l2 + 0.5 * group, opt.penalty(), 1e-12);
        opt.step();                                                     // lr 0: values unchanged, step count 1
        opt.step();                                                     // the last step taken used λ·0.5
        assertEquals(l1 + l2 + 0.25 * group, opt.penalty(), 1e-12);
    }

    @Test
    void configurationErrorsNameTheCulprit() {
        Param w = Param.weight("w", Nd4j.zeros(3, 2)), b = Param.bias("b", Nd4j.zeros(1, 2)),
                v = Param.weight("v", Nd4j.zeros(4));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.sgd(0.1).l1(0.1).penaltyFactors(b, PenaltyFactors.perWeight(Nd4j.ones(1, 2)))
                .build(List.of(w, b)));
        assertTrue(e.getMessage().contains("'b' is not regularized"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.sgd(0.1).l1(0.1).penaltyFactors(w, PenaltyFactors.perWeight(Nd4j.ones(2, 3)))
                .build(List.of(w)));
        assertTrue(e.getMessage().contains("shape [2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.sgd(0.1).penaltyFactors(w, PenaltyFactors.perGroup(1, 1, 1)).build(List.of(w)));
        assertTrue(e.getMessage().contains("group lasso is off"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.sgd(0.1).groupLasso(GroupLasso.rows(0.1)).build(List.of(w, v)));
        assertTrue(e.getMessage().contains("'v'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.sgd(0.1).penaltySchedule("l3", Schedule.constant(1)));
        assertTrue(e.getMessage().contains("'l3'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PenaltyFactors.perWeight(Nd4j.createFromArray(1.0, -1.0)));
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
    }
}
