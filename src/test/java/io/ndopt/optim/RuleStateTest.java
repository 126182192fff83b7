package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.param.Param;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A rule's named state is a view over its slots; maximize is a group option (a gradient sign only). */
class RuleStateTest {

    @Test
    void namedStateViewsTheSlotsInStateNamesOrder() {
        INDArray[] slots = {Nd4j.zeros(3), Nd4j.zeros(3), Nd4j.zeros(3)};
        Rule.Adam.State ams = Rule.Adam.defaults().withAmsgrad(true).state(slots);
        assertSame(slots[0], ams.m());
        assertSame(slots[1], ams.v());
        assertSame(slots[2], ams.vmax());
        assertNull(Rule.Adam.defaults().state(new INDArray[] {slots[0], slots[1]}).vmax());
        assertSame(slots[0], Rule.Sgd.plain().withMomentum(0.9).state(new INDArray[] {slots[0]}).buf());
        assertNull(Rule.Sgd.plain().state(new INDArray[0]).buf());
    }

    @Test
    void wrongNumberOfSlotsNamesTheExpectedState() {
        Rule.Adam amsgrad = Rule.Adam.defaults().withAmsgrad(true);
        var e = assertThrows(IllegalArgumentException.class, () -> amsgrad.state(new INDArray[2]));
        assertTrue(e.getMessage().contains("max_exp_avg_sq") && e.getMessage().contains("got 2"), e.getMessage());
    }

    /** SGD with L2: w − lr·(s·g + l2·w), s = −1 only in the maximizing group (the gradient flips, the penalty not). */
    @ParameterizedTest @EnumSource(value = UpdatePath.class, names = {"REFERENCE", "FUSED"})
    void maximizeIsPerGroupAndFlipsTheGradientOnly(UpdatePath impl) {
        double lr = 0.1, l2 = 0.5, w0 = 2.0, g = 0.25;
        Param down = Param.weight("down", Nd4j.createFromArray(w0)), up = Param.weight("up", Nd4j.createFromArray(w0));
        Optimizer opt = Optimizer.sgd(lr).l2(l2).impl(impl).group("ascend", List.of(up), o -> o.withMaximize(true))
                .build(List.of(down, up));
        down.setGrad(Nd4j.createFromArray(g));
        up.setGrad(Nd4j.createFromArray(g));
        opt.step();
        assertEquals(w0 - lr * (g + l2 * w0), down.value().getDouble(0), 1e-15);      // 2 − 0.1·1.25 = 1.875
        assertEquals(w0 - lr * (-g + l2 * w0), up.value().getDouble(0), 1e-15);       // 2 − 0.1·0.75 = 1.925
    }
}
