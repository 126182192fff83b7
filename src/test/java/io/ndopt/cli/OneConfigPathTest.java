package io.ndopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ndopt.config.Keys;
import io.ndopt.config.Raw;
import io.ndopt.config.Setting;
import io.ndopt.optim.OptimizerSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every key of {@link Keys} reaches every syntax: a flag on train/compare/sweep, a file key, and (optimizer fields) a spec field. */
class OneConfigPathTest {
    @Test
    void everyKeyHasAFlagOnEverySettingsCommand() {
        var cl = Main.commandLine();
        for (String cmd : new String[] {"train", "compare", "sweep"}) {
            for (Setting<?> s : Keys.all()) assertNotNull(cl.getSubcommands().get(cmd).getCommandSpec().findOption(s.flag()), cmd + " " + s.flag());
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

    @SuppressWarnings("unchecked")
    private static <T> Object plain(Setting<T> s, Object v) { return s.kind().plain((T) v); }
}
