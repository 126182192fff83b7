package io.ndopt.internal.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, declared once in {@link Keys}: its snake_case name (also the config-file
 * and spec key; the command-line flag is {@code --name-with-dashes}), aliases, type, default,
 * allowed range, help text, and where it applies.
 *
 * @param optimizers the optimizer types it affects, or empty for a setting that is not an optimizer
 *                   field; an optimizer field given for another type is an error ("no effect")
 * @param resumable  may differ from the checkpoint's value when resuming (e.g. epochs)
 * @param defaults   the default, possibly depending on the optimizer type (adamw's weight decay)
 */
public record Setting<T>(String name, List<String> aliases, Kind<T> kind, Function<String, T> defaults, Bound<T> bound,
                         String help, Set<String> optimizers, boolean resumable) {
    public Setting {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("setting names are snake_case: " + name);
        }
        aliases = List.copyOf(aliases);
        optimizers = Set.copyOf(optimizers);
    }

    /** A range or other condition on a value, with the words an error uses ("must be > 0"). */
    public record Bound<T>(String says, Predicate<T> ok) {
        public static <T> Bound<T> any() { return new Bound<>("", v -> true); }
    }

    public String flag() { return "--" + name.replace('_', '-'); }

    public boolean isOptimizerField() { return !optimizers.isEmpty(); }

    public boolean appliesTo(String optimizerType) {
        return optimizers.isEmpty() || optimizers.contains(optimizerType);
    }

    /** The default for an optimizer type (null: no default, the setting is optional). */
    public T defaultFor(String optimizerType) { return defaults.apply(optimizerType); }

    /** Parses and range-checks a raw value; errors name this key and the raw value's source. */
    public T bind(Raw raw) {
        T v;
        try {
            if (raw.value() == null) throw new IllegalArgumentException("has no value");
            v = raw.text() ? kind.fromText(raw.value().toString()) : kind.fromTyped(raw.value());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(raw.where() + ": setting '" + name + "' " + lower(e.getMessage()));
        }
        check(v, raw.where());
        return v;
    }

    /** Range check of an already typed value. */
    public void check(T v, String where) {
        if (!bound.ok().test(v)) {
            throw new ConfigException(where + ": setting '" + name + "' must be " + bound.says() + ", got "
                    + kind.plain(v));
        }
    }

    @SuppressWarnings("unchecked")
    public T cast(Object v) { return (T) v; }

    private static String lower(String m) {
        if (m == null) return "is invalid";
        String s = m.startsWith("must") || m.startsWith("has") ? m : "is invalid: " + m;
        return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
