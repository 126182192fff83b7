package io.ndopt.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** {@link LossScaler} step by step against hand-computed sequences (PyTorch GradScaler's rules). */
class LossScalerTest {
    /** Growth interval 3, overflows planted at steps 2, 6 and 7: every scale, skip and tracker value by hand. */
    @Test void plantedOverflowsGiveTheHandComputedSequence() {
        LossScaler s = new LossScaler(new LossScaler.State(1024f, 0, 0), 3);
        boolean[] overflow = {false, false, true, false, false, false, true, true, false, false, false, false};
        // scale used at each step, whether the optimizer steps, tracker after the step
        float[] scaleAt = {1024, 1024, 1024, 512, 512, 512, 1024, 512, 256, 256, 256, 512};
        boolean[] steps = {true, true, false, true, true, true, false, false, true, true, true, true};
        int[] tracker = {1, 2, 0, 1, 2, 0, 0, 0, 1, 2, 0, 1};
        for (int i = 0; i < overflow.length; i++) {
            assertEquals(scaleAt[i], s.scale(), "scale at step " + i);
            assertEquals(steps[i], s.update(overflow[i]), "step " + i);
            assertEquals(tracker[i], s.growthTracker(), "tracker after step " + i);
        }
        assertEquals(512f, s.scale());
        assertEquals(3, s.skippedSteps());
        assertEquals(new LossScaler.State(512f, 1, 3), s.state());
    }

    @Test void defaultsArePyTorchs() {
        LossScaler s = new LossScaler();
        assertEquals(65536f, s.scale());
        assertEquals(2000, s.growthInterval());
        assertEquals(1f / 65536, s.inverse());
        for (int i = 0; i < 1999; i++) assertTrue(s.update(false));
        assertEquals(65536f, s.scale(), "not yet: 1999 clean steps");
        assertTrue(s.update(false));
        assertEquals(131072f, s.scale(), "x2 after 2000 clean steps");
        assertEquals(0, s.growthTracker());
        assertFalse(s.update(true));
        assertEquals(65536f, s.scale(), "x0.5 on an overflow");
    }

    /** Growth that would overflow float32 keeps the scale (and restarts the count), as PyTorch. */
    @Test void growthStopsAtTheLargestFloat() {
        LossScaler s = new LossScaler(new LossScaler.State(0x1p127f, 1, 0), 2);
        assertTrue(s.update(false));
        assertEquals(0x1p127f, s.scale());
        assertEquals(0, s.growthTracker());
    }

    @Test void aScaleThatUnderflowsIsAClearError() {
        LossScaler s = new LossScaler(new LossScaler.State(Float.MIN_VALUE, 0, 5), 10);
        var e = assertThrows(IllegalStateException.class, () -> s.update(true));
        assertTrue(e.getMessage().contains("fell to 0 after 6 skipped steps"), e.getMessage());
    }

    @Test void badStatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LossScaler.State(0f, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LossScaler.State(Float.POSITIVE_INFINITY, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LossScaler.State(Float.NaN, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LossScaler.State(1f, -1, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> new LossScaler(new LossScaler.State(1f, 3, 0), 3));
        assertTrue(e.getMessage().contains("growth tracker 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LossScaler(new LossScaler.State(1f, 0, 0), 0));
    }
}
