package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.OptimizerSpec;
import io.ndopt.internal.config.Raw;
import io.ndopt.internal.config.ScheduleSpec;
import io.ndopt.internal.config.Setting;
import io.ndopt.regularize.GroupLasso;
import io.ndopt.regularize.Grouping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Every key of {@link Keys} reaches every syntax: a flag on train/compare/sweep, a file key, and (optimizer
 * fields) a spec field.
 */
class OneConfigPathTest {
    @Test
    void everyKeyHasAFlagOnEverySettingsCommand() {
        var cl = Main.commandLine();
        for (String cmd : new String[] {"train", "compare", "sweep"}) {
            for (Setting<?> s : Keys.all()) {
                assertNotNull(cl.getSubcommands().get(cmd).getCommandSpec().findOption(s.flag()), cmd + " " + s.flag());
            }
        }
    }

    @Test
    void everyDefaultBindsBackFromItsFileForm() {
        for (Setting<?> s : Keys.all()) {
            Object d = s.defaultFor("adamw");
            if (d == null) continue;
            assertEquals(d, s.bind(Raw.typed(plain(s, d), "test")), s.name());
        }
    }

    @Test
    void everyOptimizerFieldIsASpecFieldOfTheTypesItAppliesTo() {
        for (Setting<?> s : Keys.optimizerFields()) {
            for (String type : new String[] {"sgd", "adam", "adamw", "prox_sgd"}) {
                Object d = s.defaultFor(type);
                if (d == null || !s.appliesTo(type)) continue;
                OptimizerSpec spec = OptimizerSpec.fromMap(Map.of("type", type, s.name(), plain(s, d)));
                assertEquals(d, spec.get(s), type + "." + s.name());
            }
        }
    }

    /**
     * Keys without a default (group_lasso, penalty_schedule) and prune: a given value reaches every
     * syntax and binds back.
     */
    @Test
    void groupLassoPenaltyScheduleAndPruneReachEverySyntax() {
        GroupLasso cols = GroupLasso.columns(0.3);
        assertEquals(cols, Keys.GROUP_LASSO.bind(Raw.text("0.3:cols", "--group-lasso")));
        assertEquals(GroupLasso.rows(0.25), Keys.GROUP_LASSO.bind(Raw.text("0.25", "--group-lasso")));
        GroupLasso idx = new GroupLasso(0.4, Grouping.indices(new int[][] {{0, 1}, {2}}), new double[] {1.0, 2.0});
        Object idxFile = Map.of("lambda", 0.4, "groups", List.of(List.of(0, 1), List.of(2)), "weights",
                List.of(1.0, 2.0));
        assertEquals(idx, Keys.GROUP_LASSO.bind(Raw.typed(idxFile, "run.yaml:3")));
        for (GroupLasso g : List.of(cols, idx)) {
            assertEquals(g, Keys.GROUP_LASSO.bind(Raw.typed(plain(Keys.GROUP_LASSO, g), "test")));
        }

        Map<String, ScheduleSpec> ps =
                Keys.PENALTY_SCHEDULE.bind(Raw.text("l1=linear_warmup:warmup=20;weight_decay=exponential:gamma=0.9",
                "--penalty-schedule"));
        assertEquals(List.of("l1", "weight_decay"), List.copyOf(ps.keySet()));
        assertEquals(ScheduleSpec.parse("linear_warmup:warmup=20"), ps.get("l1"));
        assertEquals(ps, Keys.PENALTY_SCHEDULE.bind(Raw.typed(plain(Keys.PENALTY_SCHEDULE, ps), "test")));
        assertEquals(ps, Keys.PENALTY_SCHEDULE.bind(Raw.typed(Map.of("l1", "linear_warmup:warmup=20",
                "weight_decay", Map.of("type", "exponential", "gamma", 0.9)), "test")));

        assertEquals(true, Keys.PRUNE.bind(Raw.text("true", "--prune")));
        assertEquals(true, Keys.PRUNE.bind(Raw.typed(true, "run.yaml:4")));

        for (String type : new String[] {"sgd", "adam", "adamw", "prox_sgd"}) {
            Map<String, Object> f = Map.of("type", type, "l1", 0.01, "group_lasso", plain(Keys.GROUP_LASSO, cols),
                    "penalty_schedule", Map.of("l1", "linear_warmup:warmup=20"));
            OptimizerSpec spec = OptimizerSpec.fromMap(f);
            assertEquals(cols, spec.get(Keys.GROUP_LASSO), type);
            assertEquals(ScheduleSpec.parse("linear_warmup:warmup=20"),
                    spec.get(Keys.PENALTY_SCHEDULE).get("l1"), type);
            assertEquals(cols, OptimizerSpec.parse(type + ":lr=0.1,group_lasso=0.3:cols").get(Keys.GROUP_LASSO), type);
            spec.toBuilder();
        }
    }

    @Test
    void badGroupLassoAndPenaltyScheduleValuesNameTheKeyAndSource() {
        String[][] bad = {
            {"group_lasso", "run.yaml:2: setting 'group_lasso'", "'lambda' must be a number, got '0.3' (a string)"},
            {"penalty_schedule", "run.yaml:2: setting 'penalty_schedule'", "unknown penalty 'l3'"}};
        Object[] values = {Map.of("lambda", "0.3"), "l3=linear_warmup:warmup=5"};
        for (int i = 0; i < bad.length; i++) {
            Setting<?> s = Keys.byName(bad[i][0]);
            int k = i;
            var e = Assertions.assertThrows(ConfigException.class, () -> s.bind(Raw.typed(values[k], "run.yaml:2")));
            Assertions.assertTrue(e.getMessage().startsWith(bad[i][1]) && e.getMessage().contains(bad[i][2]),
                    e.getMessage());
        }
        var e = Assertions.assertThrows(ConfigException.class,
                () -> OptimizerSpec.fromMap(Map.of("type", "adam", "penalty_schedule", "l1=linear_warmup:warmup=5")));
        Assertions.assertTrue(e.getMessage().contains("'penalty_schedule' of l1 has no effect without l1"),
                e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static <T> Object plain(Setting<T> s, Object v) { return s.kind().plain((T) v); }
}
