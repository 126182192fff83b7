package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.param.Param;
import io.ndopt.param.Role;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.ParamMask;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Masks by name pattern and by predicate select what decay, L1 and group lasso touch; the log line says so. */
class ParamMaskTest {
    private static List<Param> params() {
        return List.of(Param.weight("fc1.W", Nd4j.ones(DataType.DOUBLE, 2, 3)),
                Param.bias("fc1.b", Nd4j.ones(DataType.DOUBLE, 1, 3)),
                Param.weight("out.W", Nd4j.ones(DataType.DOUBLE, 3, 1)),
                Param.bias("out.b", Nd4j.ones(DataType.DOUBLE, 1, 1)));
    }

    @Test
    void namePatternSelectsOnlyMatchingParameters() {
        List<Param> ps = params();
        Optimizer opt = Optimizer.adamw(0.1).weightDecay(0.5).regularize(ParamMask.names("fc1\\..*")).build(ps);
        opt.zeroGrad();                                    // a zero gradient, set
        opt.step();                                                         // zero gradients: only decay moves values
        assertArrayEquals(new double[] {0.95, 0.95, 0.95, 0.95, 0.95, 0.95},
                ps.get(0).value().ravel().toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {0.95, 0.95, 0.95}, ps.get(1).value().ravel().toDoubleVector(), 1e-15,
                "the bias matches the pattern");
        assertEquals(1.0, ps.get(2).value().getDouble(0), 0.0);
        assertEquals(new RegularizationSummary(2, 9, 2, 4), opt.summary());
        assertTrue(opt.describeRegularization().contains("name matches /fc1\\..*/"), opt.describeRegularization());
    }

    @Test
    void predicateAndCombinationsWithRoles() {
        List<Param> ps = params();
        ParamMask wideWeights = ParamMask.roles(Role.WEIGHT)
                .and(ParamMask.where("more than one column", p -> p.shape()[1] > 1));
        Optimizer opt = Optimizer.sgd(1.0).groupLasso(GroupLasso.rows(10)).regularize(wideWeights).build(ps);
        opt.zeroGrad();                                    // a zero gradient, set
        opt.step();
        assertEquals(0.0, ps.get(0).value().norm1Number().doubleValue(), 0.0,
                "fc1.W: huge group lasso zeroes every row");
        assertEquals(1.0, ps.get(2).value().getDouble(0), 0.0, "out.W: one column, not selected");
        assertEquals(3.0, ps.get(1).value().sumNumber().doubleValue(), 0.0, "bias not selected");
        assertEquals(new RegularizationSummary(1, 6, 3, 7), opt.summary());
        assertTrue(opt.describeRegularization().contains("(role in [WEIGHT] and more than one column)"),
                opt.describeRegularization());
        assertTrue(opt.describeRegularization().contains("group lasso 10.0 by rows"), opt.describeRegularization());
        assertThrows(IllegalArgumentException.class, () -> ParamMask.names("fc1.("));
    }
}
