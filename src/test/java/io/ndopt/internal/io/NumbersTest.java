package io.ndopt.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict numbers: plain decimal notation only, finite, no Java suffixes or hex. */
class NumbersTest {
    @ParameterizedTest
    @CsvSource({"1, 1.0", "-2.5, -2.5", "+3, 3.0", ".5, 0.5", "5., 5.0", "1e-3, 0.001", "2E+2, 200.0", "-0.0, -0.0"})
    void acceptsPlainDecimals(String text, double value) {
        assertEquals(value, Numbers.parseDouble(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5d", "1f", "0x1p3", "NaN", "nan", "Infinity", "-Infinity", "", " ", " 1", "1 ", "1,5",
            "1e", "e3", ".", "--1", "1e999", "١"})
    void rejectsEverythingElse(String text) {
        var e = assertThrows(NumberFormatException.class, () -> Numbers.parseDouble(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1e3", "0x10", "99999999999", "", "5L", "+"})
    void intsAreDigitsInRange(String text) {
        assertThrows(NumberFormatException.class, () -> Numbers.parseInt(text));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "-7, -7", "+12, 12", "2147483647, 2147483647"})
    void parsesInts(String text, int value) {
        assertEquals(value, Numbers.parseInt(text));
    }
}
