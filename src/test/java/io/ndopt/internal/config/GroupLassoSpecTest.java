package io.ndopt.internal.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.Grouping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The written forms of group lasso: the fit-contract object and the CLI form; errors name the field. */
class GroupLassoSpecTest {
    @Test
    void readsTheContractObject() {
        GroupLasso g = GroupLassoSpec.fromMap(Map.of("lambda", 0.4, "groups", List.of(List.of(0, 1), List.of(2, 3, 4)),
                "weights", List.of(1.0, 2.5)));
        assertEquals(0.4, g.lambda());
        assertArrayEquals(new int[] {2, 3, 4}, ((Grouping.Indices) g.grouping()).groups()[1]);
        assertArrayEquals(new double[] {1.0, 2.5}, g.weights());
        assertArrayEquals(new double[] {1.0, 2.5}, g.coefficients("w", new long[] {5}, null));
        GroupLasso byCols = GroupLassoSpec.fromMap(Map.of("lambda", 0.1, "by", "cols"));
        assertEquals(Grouping.columns(), byCols.grouping());
        assertNull(byCols.weights());
        assertArrayEquals(new double[] {2, 2, 2}, byCols.coefficients("W", new long[] {4, 3}, null), 0.0);
    }

    @Test
    void readsTheCliForm() {
        assertEquals(GroupLasso.rows(0.3), GroupLassoSpec.parse("0.3"));
        assertEquals(GroupLasso.columns(1e-3), GroupLassoSpec.parse("1e-3:cols"));
        assertEquals(GroupLasso.columns(0.2), GroupLassoSpec.fromMap("0.2:columns"));
    }

    @Test
    void errorsNameTheField() {
        String[][] bad = {
            {"unknown field 'lamda'"}, {"missing field 'lambda'"}, {"non-integer index"}, {"not both"},
                    {"'groups' must be a list"}, {"'lambda' must be a number"},
            {"'lambda' must be a number, got '0.1' (a string)"}, {"'groups[0]' has a non-integer index '1' (a string)"},
            {"'by' must be the string rows or cols"}};
        List<Map<String, Object>> specs = List.of(
                Map.of("lamda", 0.1), Map.of("groups", List.of(List.of(0))),
                Map.of("lambda", 0.1, "groups", List.of(List.of(0.5))),
                Map.of("lambda", 0.1, "groups", List.of(List.of(0)), "by", "rows"), Map.of("lambda", 0.1, "groups", 3),
                Map.of("lambda", "much"),
                // object values have their exact JSON types: no numbers in strings
                Map.of("lambda", "0.1"), Map.of("lambda", 0.1, "groups", List.of(List.of("1"))),
                Map.of("lambda", 0.1, "by", 1));
        for (int i = 0; i < bad.length; i++) {
            int k = i;
            var e = assertThrows(IllegalArgumentException.class, () -> GroupLassoSpec.fromMap(specs.get(k)));
            assertTrue(e.getMessage().contains(bad[k][0]), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> GroupLassoSpec.parse("0.1:diag"));
        assertThrows(IllegalArgumentException.class, () -> GroupLassoSpec.parse("x"));
        assertThrows(IllegalArgumentException.class, () -> GroupLassoSpec.parse("0.1:rows:cols"));
    }
}
