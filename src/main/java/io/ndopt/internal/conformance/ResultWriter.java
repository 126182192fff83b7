package io.ndopt.internal.conformance;

import io.ndopt.internal.config.Keys;
import io.ndopt.internal.io.Json;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.Grouping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a {@link LinearFit.Result} with the keys of a conformance spec's {@code expected} block (NaN/Inf as
 * null, atomically).
 */
public final class ResultWriter {
    private ResultWriter() {}

    public static Map<String, Object> toMap(LinearFit.Result r, boolean withSchedule) {
        Map<String, Object> m = new LinkedHashMap<>();
        int last = r.steps();
        List<Map<String, Object>> snaps = new ArrayList<>();
        for (int s : new TreeSet<>(List.of(Math.min(1, last), Math.min(10, last), last))) {
            if (s == 0) continue;
            snaps.add(Map.of("step", s, "w", w(r, r.wTraj().get(s)), "b", b(r, r.bTraj().get(s))));
        }
        m.put("snapshots", snaps);
        m.put("w_final", w(r, r.wFinal()));
        m.put("b_final", b(r, r.bFinal()));
        m.put("loss", r.loss());
        m.put("w_traj", r.wTraj().stream().map(v -> w(r, v)).toList());
        m.put("b_traj", r.bTraj().stream().map(v -> b(r, v)).toList());
        m.put("final_zero_count", r.finalZeroCount());
        if (r.hasEvalPoint()) {                       // schedule-free: the eval point x after each step
            m.put("w_eval_traj", r.wEvalTraj().stream().map(v -> w(r, v)).toList());
            m.put("b_eval_traj", r.bEvalTraj().stream().map(v -> b(r, v)).toList());
            m.put("w_eval_final", w(r, r.wEvalTraj().get(last)));
            m.put("b_eval_final", b(r, r.bEvalTraj().get(last)));
        }
        if (withSchedule) m.put("lr_per_step", r.lrPerStep());
        if (r.skippedSteps() > 0) m.put("skipped_steps", r.skippedSteps());
        if (r.nonFiniteSteps() > 0) m.put("nonfinite_steps", r.nonFiniteSteps());
        return m;
    }

    /** Weights as written: a vector for a single-output problem, else p rows of k (the flat values are row-major). */
    private static Object w(LinearFit.Result r, double[] flat) {
        if (r.outputs() == 0) return flat;
        int k = r.outputs();
        double[][] rows = new double[flat.length / k][];
        for (int i = 0; i < rows.length; i++) rows[i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
        return rows;
    }

    /** A bias as written: a number for a single-output problem, else its k entries. */
    private static Object b(LinearFit.Result r, double[] v) { return r.outputs() == 0 ? (Object) v[0] : v; }

    /**
     * For a spec whose optimizer has a {@code group_lasso} block with explicit groups, adds
     * {@code final_zero_groups}: the indices of the groups whose weights all end exactly at 0.
     */
    public static void addZeroGroups(Map<String, Object> m, LinearSpec spec, LinearFit.Result r) {
        GroupLasso gl = spec.optimizer().get(Keys.GROUP_LASSO);
        if (gl == null || !(gl.grouping() instanceof Grouping.Indices ix)) return;
        List<Integer> zero = new ArrayList<>();
        int[][] groups = ix.groups();
        for (int g = 0; g < groups.length; g++) {
            boolean all = true;
            for (int i : groups[g]) all &= r.wFinal()[i] == 0.0;
            if (all) zero.add(g);
        }
        m.put("final_zero_groups", zero);
    }

    public static void write(Path out, Map<String, Object> result) throws IOException {
        Json.write(out, result);
    }
}
