package io.ndopt.internal.conformance;

import io.ndopt.internal.config.Keys;
import io.ndopt.internal.io.Json;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.Grouping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
        int last = r.bTraj().length - 1;
        List<Map<String, Object>> snaps = new ArrayList<>();
        for (int s : new TreeSet<>(List.of(Math.min(1, last), Math.min(10, last), last))) {
            if (s == 0) continue;
            snaps.add(Map.of("step", s, "w", r.wTraj().get(s), "b", r.bTraj()[s]));
        }
        m.put("snapshots", snaps);
        m.put("w_final", r.wFinal());
        m.put("b_final", r.bFinal());
        m.put("loss", r.loss());
        m.put("w_traj", r.wTraj());
        m.put("b_traj", r.bTraj());
        m.put("final_zero_count", r.finalZeroCount());
        if (withSchedule) m.put("lr_per_step", r.lrPerStep());
        if (r.skippedSteps() > 0) m.put("skipped_steps", r.skippedSteps());
        if (r.nonFiniteSteps() > 0) m.put("nonfinite_steps", r.nonFiniteSteps());
        return m;
    }

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
