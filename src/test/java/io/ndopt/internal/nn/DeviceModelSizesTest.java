package io.ndopt.internal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Sizes in the device network are 64-bit: rows · width is formed as a long (an int product wrapped negative past
 * 2³¹ − 1, e.g. 16384 rows × 131072 units), and a length that a host array cannot hold is refused by name.
 */
class DeviceModelSizesTest {
    @Test void aMaskLongerThanAHostArrayIsRefused() {
        int rows = 16384, width = 131072;
        assertTrue(rows * width <= 0, "the old int product wraps");
        var e = assertThrows(IllegalArgumentException.class,
                () -> DeviceModel.hostLength((long) rows * width, "the dropout mask"));
        assertTrue(e.getMessage().startsWith("the dropout mask of 2147483648 elements exceeds"), e.getMessage());
        assertEquals(2_000_000_000, DeviceModel.hostLength(2_000_000_000L, "x"));
    }
}
