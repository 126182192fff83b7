package io.ndopt.internal.config;

import io.ndopt.internal.io.Numbers;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.Grouping;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link GroupLasso} from its written forms: the conformance/config object
 * {@code {"lambda": λ, "groups": [[0, 1], [2, 3, 4]], "weights": [..]}} (or {@code "by": "rows"|"cols"}
 * instead of {@code groups}), and the CLI text {@code λ[:rows|cols]} (default rows). Object values
 * must have their exact JSON types (λ a number, indices integers, {@code by} a string); a string in
 * place of the object is read in the CLI form. Unknown keys and malformed values are errors naming
 * the field; the configuration binder adds the key ({@code group_lasso}) and the source.
 */
public final class GroupLassoSpec {
    private static final Set<String> KEYS = Set.of("lambda", "groups", "weights", "by");

    private GroupLassoSpec() {}

    /** From a typed value: the object form, or a string in the CLI form. */
    public static GroupLasso fromMap(Object value) {
        // already bound (a spec built from bound fields)
        if (value instanceof GroupLasso g) return g;
        // compact form, e.g. compare's --run adam:group_lasso=0.1:cols
        if (value instanceof String s) return parse(s);
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("must be an object {lambda, groups|by, weights} or λ[:rows|cols], got "
                    + value);
        }
        for (Object k : m.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new IllegalArgumentException("has unknown field '" + k
                        + "' (valid: by, groups, lambda, weights)");
            }
        }
        if (!m.containsKey("lambda")) throw new IllegalArgumentException("has a missing field 'lambda'");
        double lambda = number("lambda", m.get("lambda"));
        if (m.containsKey("groups") && m.containsKey("by")) {
            throw new IllegalArgumentException("must give 'groups' or 'by', not both");
        }
        Grouping grouping;
        if (m.containsKey("groups")) {
            List<?> gs = list("groups", m.get("groups"));
            int[][] groups = new int[gs.size()][];
            for (int g = 0; g < groups.length; g++) {
                List<?> idx = list("groups[" + g + "]", gs.get(g));
                groups[g] = new int[idx.size()];
                for (int i = 0; i < idx.size(); i++) groups[g][i] = index(g, idx.get(i));
            }
            grouping = Grouping.indices(groups);
        } else if (m.containsKey("by")) {
            if (!(m.get("by") instanceof String by)) {
                throw new IllegalArgumentException("has a bad field: 'by' must be the string rows or cols, got "
                        + m.get("by"));
            }
            grouping = Grouping.parse(by);
        } else {
            grouping = Grouping.rows();
        }
        double[] weights = null;
        if (m.containsKey("weights")) {
            List<?> ws = list("weights", m.get("weights"));
            weights = new double[ws.size()];
            for (int i = 0; i < weights.length; i++) weights[i] = number("weights", ws.get(i));
        }
        return new GroupLasso(lambda, grouping, weights);
    }

    /** The CLI text {@code λ[:rows|cols]}, λ parsed strictly. */
    public static GroupLasso parse(String s) {
        String[] parts = s.trim().split(":", -1);
        if (parts.length > 2 || parts[0].isBlank()) {
            throw new IllegalArgumentException("must be λ or λ:rows or λ:cols, got '" + s + "'");
        }
        double lambda;
        try {
            lambda = Numbers.parseDouble(parts[0].trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be λ[:rows|cols] with λ a number, got '" + s + "'");
        }
        return GroupLasso.of(lambda, parts.length == 2 ? Grouping.parse(parts[1]) : Grouping.rows());
    }

    /** The object form of a penalty, as config dumps and result files show it. */
    public static Map<String, Object> toMap(GroupLasso g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lambda", g.lambda());
        if (g.grouping() instanceof Grouping.Indices ix) {
            m.put("groups", Arrays.stream(ix.groups()).map(a -> Arrays.stream(a).boxed().toList()).toList());
        } else {
            m.put("by", g.grouping().toString());
        }
        if (g.weights() != null) m.put("weights", Arrays.stream(g.weights()).boxed().toList());
        return m;
    }

    private static List<?> list(String field, Object v) {
        if (v instanceof List<?> l) return l;
        throw new IllegalArgumentException("has a bad field: '" + field + "' must be a list, got " + shown(v));
    }

    private static double number(String field, Object v) {
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) return n.doubleValue();
        throw new IllegalArgumentException("has a bad field: '" + field + "' must be a number, got " + shown(v));
    }

    private static int index(int g, Object v) {
        if ((v instanceof Integer || v instanceof Long || v instanceof BigInteger)
                && ((Number) v).longValue() == ((Number) v).intValue()
                && !(v instanceof BigInteger b && b.bitLength() >= 32)) {
            return ((Number) v).intValue();
        }
        throw new IllegalArgumentException("has a bad field: 'groups[" + g + "]' has a non-integer index " + shown(v));
    }

    private static String shown(Object v) {
        return v instanceof String s ? "'" + s + "' (a string)" : String.valueOf(v);
    }
}
