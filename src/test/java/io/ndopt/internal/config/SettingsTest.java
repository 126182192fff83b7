package io.ndopt.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One binder for every source: unknown keys, exact types, ranges and "no effect" are errors naming key and source. */
class SettingsTest {
    private static RunRequest typed(Map<String, Object> m) {
        Map<String, Raw> raw = new LinkedHashMap<>();
        m.forEach((k, v) -> raw.put(k, Raw.typed(v, "f.yaml:1")));
        return RunRequest.of(List.of(LayerSpec.bind(raw, Keys.all())));
    }

    private static RunRequest text(String... kv) {
        Map<String, Raw> raw = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) raw.put(kv[i], Raw.text(kv[i + 1], "--" + kv[i]));
        return RunRequest.of(List.of(LayerSpec.bind(raw, Keys.all())));
    }

    private static String error(Runnable r) {
        return assertThrows(ConfigException.class, r::run).getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "epochs | 1.7 | must be an integer",
            "epochs | '5' | must be an integer",
            "batch_size | 0 | must be >= 1",
            "lr | abc | must be a number",
            "decay_bias | yes | must be true or false",
            "clip_norm | abc | must be a number",
            "hidden | '4,' | positive sizes",
            "hidden | '' | positive sizes",
            "betas | '0.9' | two numbers"})
    void wrongTypesInFilesNameTheKey(String key, String value, String says) {
        Object v = value.equals("1.7") ? (Object) 1.7 : value.equals("0") ? (Object) 0L : value;
        String m = error(() -> typed(Map.of(key, v)));
        assertTrue(m.contains("f.yaml:1") && m.contains("'" + key + "'") && m.contains(says), m);
    }

    @Test
    void textIsParsedStrictly() {
        for (String bad : new String[] {"NaN", "5d", "0x1p3", "1f", "", "Infinity"}) {
            String m = error(() -> text("lr", bad));
            assertTrue(m.contains("--lr") && m.contains("'lr'"), m);
        }
        assertEquals(List.of(4), text("hidden", "4").get(Keys.HIDDEN));
        assertEquals(List.of(), text("hidden", "none").get(Keys.HIDDEN));
        error(() -> text("hidden", "4,,4"));
        error(() -> text("hidden", "4,0"));
        assertTrue(error(() -> text("hidden", "99999999999")).contains("'99999999999'"));
    }

    @Test
    void unknownKeysAreErrorsWithASuggestion() {
        String m = error(() -> typed(Map.of("clip_norms", 1.0)));
        assertTrue(m.contains("unknown setting 'clip_norms'") && m.contains("did you mean 'clip_norm'"), m);
        m = error(() -> typed(Map.of("beta1", 0.9)));
        assertTrue(m.contains("unknown setting 'beta1'"), m);
        m = error(() -> typed(Map.of("wd", 0.1, "weight_decay", 0.2)));
        assertTrue(m.contains("given twice"), m);
    }

    @Test
    void settingsWithoutEffectAreRefused() {
        assertTrue(error(() -> text("optimizer", "prox_sgd", "weight_decay", "0.1"))
                .contains("no effect with optimizer 'prox_sgd'"));
        assertTrue(error(() -> text("optimizer", "adam", "momentum", "0.9")).contains("'momentum' has no effect"));
        assertTrue(error(() -> text("optimizer", "adam", "nesterov", "true")).contains("'nesterov'"));
        assertTrue(error(() -> text("optimizer", "sgd", "betas", "0.9,0.99")).contains("'betas'"));
        assertTrue(error(() -> text("optimizer", "sgd", "dampening", "0.5")).contains("without 'momentum'"));
        assertTrue(error(() -> text("optimizer", "adam", "decay_mode", "decoupled")).contains("without weight decay"));
        assertTrue(error(() -> text("optimizer", "sgd", "decay_bias", "true")).contains("decay_bias"));
        assertTrue(error(() -> text("target", "y")).contains("without 'data'"));
        assertTrue(error(() -> text("patience", "3", "val_split", "0")).contains("patience"));
        assertTrue(error(() -> text("data", "d.csv", "dataset", "moons")).contains("exclude"));
        text("optimizer", "adamw", "decay_mode", "coupled");          // adamw decays by default: it has an effect
    }

    @Test
    void defaultsDependOnTheOptimizerAndComeFromOnePlace() {
        assertEquals(0.01, text("optimizer", "adamw").get(Keys.WEIGHT_DECAY));
        assertEquals(0.0, text("optimizer", "adam").get(Keys.WEIGHT_DECAY));
        assertEquals(List.of(0.9, 0.999), text().get(Keys.BETAS));
        assertEquals(1e-8, OptimizerSpec.parse("adam:lr=0.1").get(Keys.EPS));
    }

    @Test
    void betasHaveOneMeaningInEverySyntax() {
        List<Double> want = List.of(0.8, 0.95);
        assertEquals(want, text("betas", "0.8,0.95").get(Keys.BETAS));
        assertEquals(want, text("betas", "0.8/0.95").get(Keys.BETAS));
        assertEquals(want, typed(Map.of("betas", List.of(0.8, 0.95))).get(Keys.BETAS));
        assertEquals(want, OptimizerSpec.parse("adam:lr=1,betas=0.8/0.95").get(Keys.BETAS));
        assertEquals(want, OptimizerSpec.fromMap(Map.of("type", "adam", "lr", 1, "betas", List.of(0.8, 0.95)))
                .get(Keys.BETAS));
    }

    @Test
    void toMapBindsBackToEqualSettings() {
        RunRequest s = text("optimizer", "sgd", "lr", "0.1", "momentum", "0.9", "nesterov", "true", "hidden", "8,4",
                "schedule", "cosine:t_max=10", "epochs", "3");
        RunRequest back = typed(s.toMap());
        for (Setting<?> k : Keys.all()) assertEquals(s.get(k), back.get(k), k.name());
        assertTrue(!s.toMap().containsKey("betas"), "keys of other optimizers are not written");
    }
}
