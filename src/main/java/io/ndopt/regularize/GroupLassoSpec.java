package io.ndopt.regularize;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link GroupLasso} from its written forms: the conformance/config object
 * {@code {"lambda": λ, "groups": [[0, 1], [2, 3, 4]], "weights": [..]}} (or {@code "by": "rows"|"cols"}
 * instead of {@code groups}), and the CLI form {@code λ[:rows|cols]} (default rows). Unknown keys
 * and malformed values are errors naming the field. A string value is read in the CLI form.
 */
public final class GroupLassoSpec {
    private static final Set<String> KEYS = Set.of("lambda", "groups", "weights", "by");

    private GroupLassoSpec() {}

    public static GroupLasso fromMap(Object value) {
        if (value instanceof String s) return parse(s);                 // compact form, e.g. compare's --run adam:group_lasso=0.1:cols
        if (!(value instanceof Map<?, ?> m)) throw new IllegalArgumentException("optimizer: field 'group_lasso' must be an object, got '" + value + "'");
        for (Object k : m.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new IllegalArgumentException("group_lasso: unknown field '" + k + "' (valid: by, groups, lambda, weights)");
            }
        }
        if (!m.containsKey("lambda")) throw new IllegalArgumentException("group_lasso: missing field 'lambda'");
        double lambda = number("lambda", m.get("lambda"));
        if (m.containsKey("groups") && m.containsKey("by")) throw new IllegalArgumentException("group_lasso: give 'groups' or 'by', not both");
        Grouping grouping;
        if (m.containsKey("groups")) {
            List<?> gs = list("groups", m.get("groups"));
            int[][] groups = new int[gs.size()][];
            for (int g = 0; g < groups.length; g++) {
                List<?> idx = list("groups[" + g + "]", gs.get(g));
                groups[g] = new int[idx.size()];
                for (int i = 0; i < idx.size(); i++) {
                    double v = number("groups[" + g + "]", idx.get(i));
                    if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) throw new IllegalArgumentException("group_lasso: groups[" + g + "] has a non-integer index " + idx.get(i));
                    groups[g][i] = (int) v;
                }
            }
            grouping = Grouping.indices(groups);
        } else {
            grouping = m.containsKey("by") ? Grouping.parse(String.valueOf(m.get("by"))) : Grouping.rows();
        }
        double[] weights = null;
        if (m.containsKey("weights")) {
            List<?> ws = list("weights", m.get("weights"));
            weights = new double[ws.size()];
            for (int i = 0; i < weights.length; i++) weights[i] = number("weights", ws.get(i));
        }
        return new GroupLasso(lambda, grouping, weights);
    }

    /** The CLI form {@code λ[:rows|cols]}. */
    public static GroupLasso parse(String s) {
        String[] parts = s.trim().split(":", -1);
        if (parts.length > 2 || parts[0].isBlank()) throw new IllegalArgumentException("--group-lasso must be λ or λ:rows or λ:cols, got '" + s + "'");
        double lambda;
        try {
            lambda = Double.parseDouble(parts[0].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--group-lasso: '" + parts[0] + "' is not a number (expected λ[:rows|cols])");
        }
        return GroupLasso.of(lambda, parts.length == 2 ? Grouping.parse(parts[1]) : Grouping.rows());
    }

    private static List<?> list(String field, Object v) {
        if (v instanceof List<?> l) return l;
        throw new IllegalArgumentException("group_lasso: field '" + field + "' must be a list, got '" + v + "'");
    }

    private static double number(String field, Object v) {
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("group_lasso: field '" + field + "' must be a number, got '" + v + "'");
        }
    }
}
