package io.ndopt.regularize;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;

/**
 * How the elements of one weight tensor are split into the groups of a group-lasso penalty.
 * <ul>
 *   <li>{@link #rows()}: row {@code i} of a matrix {@code W: [in, out]} — all weights leaving input
 *       feature (or unit) {@code i}; a zero row removes that input (feature selection).</li>
 *   <li>{@link #columns()}: column {@code j} — all weights entering unit {@code j}; a zero column
 *       leaves the unit constant (neuron pruning).</li>
 *   <li>{@link #indices(int[][])}: explicit, disjoint groups of flat indices (c order); elements in
 *       no group are not group-penalized.</li>
 * </ul>
 * Groups never overlap, so the prox of the penalty is the per-group closed form of {@link GroupProx}.
 */
public sealed interface Grouping permits Grouping.Rows, Grouping.Columns, Grouping.Indices {

    static Grouping rows() { return new Rows(); }
    static Grouping columns() { return new Columns(); }
    static Grouping indices(int[][] groups) { return new Indices(groups); }

    /** Parses {@code rows} or {@code cols}/{@code columns} (the CLI form). */
    static Grouping parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "rows" -> rows();
            case "cols", "columns" -> columns();
            default -> throw new IllegalArgumentException("group lasso grouping must be rows or cols, got '" + s + "'");
        };
    }

    /** Number of groups in a tensor of this shape; throws, naming {@code param}, if the grouping does not fit it. */
    int count(String param, long[] shape);

    /** Size of group {@code g} in a tensor of this shape. */
    int size(long[] shape, int g);

    record Rows() implements Grouping {
        @Override public int count(String param, long[] shape) { return (int) matrix(param, shape, "rows")[0]; }
        @Override public int size(long[] shape, int g) { return (int) shape[1]; }
        @Override public String toString() { return "rows"; }
    }

    record Columns() implements Grouping {
        @Override public int count(String param, long[] shape) { return (int) matrix(param, shape, "columns")[1]; }
        @Override public int size(long[] shape, int g) { return (int) shape[0]; }
        @Override public String toString() { return "cols"; }
    }

    /** Explicit groups of flat (c-order) element indices: non-empty, non-negative, disjoint. */
    record Indices(int[][] groups) implements Grouping {
        public Indices {
            if (groups.length == 0) throw new IllegalArgumentException("group lasso: 'groups' is empty");
            groups = Arrays.stream(groups).map(int[]::clone).toArray(int[][]::new);
            BitSet seen = new BitSet();
            for (int g = 0; g < groups.length; g++) {
                if (groups[g].length == 0) throw new IllegalArgumentException("group lasso: group " + g + " is empty");
                for (int i : groups[g]) {
                    if (i < 0) {
                        throw new IllegalArgumentException("group lasso: group " + g + " has negative index " + i);
                    }
                    if (seen.get(i)) {
                        throw new IllegalArgumentException("group lasso: index " + i
                                + " is in more than one group (groups must not overlap)");
                    }
                    seen.set(i);
                }
            }
        }
        @Override public int count(String param, long[] shape) {
            long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            for (int g = 0; g < groups.length; g++) {
                for (int i : groups[g]) {
                    if (i >= n) throw new IllegalArgumentException("group lasso: group " + g + " has index " + i
                            + " but parameter '" + param + "' has only " + n + " elements");
                }
            }
            return groups.length;
        }
        @Override public int size(long[] shape, int g) { return groups[g].length; }
        @Override public boolean equals(Object o) {
            return o instanceof Indices i && Arrays.deepEquals(groups, i.groups);
        }

        @Override public int hashCode() { return Arrays.deepHashCode(groups); }
        @Override public String toString() { return groups.length + " index groups"; }
    }

    private static long[] matrix(String param, long[] shape, String what) {
        if (shape.length != 2) {
            throw new IllegalArgumentException("group lasso by " + what + " needs a matrix parameter; '" + param
                    + "' has shape " + Arrays.toString(shape) + " (use explicit index groups)");
        }
        return shape;
    }
}
