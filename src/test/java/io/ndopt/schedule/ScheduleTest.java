package io.ndopt.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ndopt.internal.config.ScheduleSpec;
import org.junit.jupiter.api.Test;

/** Closed forms of PyTorch's schedulers, with the step index convention of {@link Schedule}. */
class ScheduleTest {
    @Test
    void stepAndExponential() {
        Schedule s = Schedule.step(0.1, 3, 0.5);
        assertEquals(0.1, s.lr(0));
        assertEquals(0.1, s.lr(2));
        assertEquals(0.05, s.lr(3));
        assertEquals(0.025, s.lr(6));
        assertEquals(0.1 * Math.pow(0.9, 5), Schedule.exponential(0.1, 0.9).lr(5), 1e-18);
    }

    @Test
    void cosineMatchesPyTorchClosedForm() {
        Schedule s = Schedule.cosine(1.0, 10, 0.1);
        assertEquals(1.0, s.lr(0), 1e-15);
        assertEquals(0.55, s.lr(5), 1e-15);
        assertEquals(0.1, s.lr(10), 1e-15);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 3 / 10)) / 2, s.lr(3), 1e-15);
        assertEquals(s.lr(9), s.lr(11), 1e-15, "periodic past t_max, as CosineAnnealingLR");
    }

    @Test
    void warmupThenCosine() {
        Schedule s = Schedule.warmupCosine(0.4, 4, 14, 0);
        assertEquals(0.1, s.lr(0), 1e-15);
        assertEquals(0.4, s.lr(3), 1e-15);
        assertEquals(0.4, s.lr(4), 1e-15);
        assertEquals(0.2, s.lr(9), 1e-15);
        assertEquals(0.0, s.lr(14), 1e-15);
        assertEquals(0.5, s.multiplier(9), 1e-15);
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> Schedule.cosine(0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.step(0.1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Schedule.warmupCosine(0.1, 5, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse("cosine:tmax=3"));
    }
}
