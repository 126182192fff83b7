package io.ndopt.internal.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Typed values from one source (defaults excepted): a config file, the command line, a
 * {@code --run} spec, a checkpoint's config or a conformance spec. Binding rejects unknown keys,
 * keys not valid in this place, a key given twice (also through an alias) and wrong types,
 * naming the key and the source. An {@code optimizer} given as an object or as compact text
 * ({@code adam:lr=1e-3}) is expanded into {@code optimizer} (its type) and its fields.
 *
 * @param values bound values in source order
 * @param where  the source of each value, for later error messages
 */
public record LayerSpec(Map<Setting<?>, Object> values, Map<Setting<?>, String> where) {
    public LayerSpec {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        where = Collections.unmodifiableMap(new LinkedHashMap<>(where));
    }

    public static LayerSpec empty() { return new LayerSpec(Map.of(), Map.of()); }

    /** Binds raw values; {@code allowed} is the set of keys valid in this place. */
    public static LayerSpec bind(Map<String, Raw> raw, Collection<Setting<?>> allowed) {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        Map<Setting<?>, String> where = new LinkedHashMap<>();
        for (var e : expand(raw).entrySet()) {
            Raw r = e.getValue();
            Setting<?> s = Keys.byName(e.getKey());
            if (s == null || !allowed.contains(s)) {
                throw new ConfigException(r.where() + ": unknown setting '" + e.getKey() + "'"
                        + suggestion(e.getKey(), allowed)
                        + " (valid here: " + String.join(", ", names(allowed)) + ")");
            }
            if (values.containsKey(s)) {
                throw new ConfigException(r.where() + ": setting '" + s.name() + "' is given twice (also at "
                        + where.get(s) + ")");
            }
            values.put(s, s.bind(r));
            where.put(s, r.where());
        }
        return new LayerSpec(values, where);
    }

    /**
     * The {@code optimizer} entry as type + fields if it is an object or compact text; other entries unchanged.
     * A field given both inside the optimizer and at the top level ({@code lr} in both places) is refused, naming
     * both places: neither silently wins.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Raw> expand(Map<String, Raw> raw) {
        Raw opt = raw.get("optimizer");
        if (opt == null || !(opt.value() instanceof Map || opt.value() instanceof String s && s.contains(":"))) {
            return raw;
        }
        Map<String, Object> fields = opt.value() instanceof Map<?, ?> m ? (Map<String, Object>) m
                : CompactSpec.parse((String) opt.value(), "optimizer");
        if (!fields.containsKey("type")) {
            throw new ConfigException(opt.where() + ": optimizer needs a 'type' (sgd, adam, adamw, prox_sgd)");
        }
        boolean text = !(opt.value() instanceof Map);
        Map<String, Raw> out = new LinkedHashMap<>(), top = new LinkedHashMap<>(), inner = new LinkedHashMap<>();
        for (var e : raw.entrySet()) {
            if (!e.getKey().equals("optimizer")) {
                top.put(e.getKey(), e.getValue());
                out.put(e.getKey(), e.getValue());
                continue;
            }
            for (var f : fields.entrySet()) {
                String key = f.getKey().equals("type") ? "optimizer" : f.getKey();
                String where = opt.where() + (text ? "" : " (optimizer." + f.getKey() + ")");
                Raw r = new Raw(f.getValue(), where, text || opt.text());
                inner.put(key, r);
                out.put(key, r);
            }
        }
        for (var i : inner.entrySet()) {
            Setting<?> s = Keys.byName(i.getKey());
            for (var t : top.entrySet()) {
                if (t.getKey().equals(i.getKey()) || s != null && s == Keys.byName(t.getKey())) {
                    throw new ConfigException(t.getValue().where() + ": setting '" + (s != null ? s.name() : t.getKey())
                            + "' is given twice: at the top level (" + t.getValue().where() + ") and in the optimizer ("
                            + i.getValue().where() + "); give it in one place");
                }
            }
        }
        return out;
    }

    private static TreeSet<String> names(Collection<Setting<?>> allowed) {
        TreeSet<String> n = new TreeSet<>();
        for (Setting<?> s : allowed) n.add(s.name());
        return n;
    }

    /** " (did you mean 'x'?)" for a near miss (edit distance ≤ 2), else "". */
    static String suggestion(String key, Collection<Setting<?>> allowed) {
        String best = null;
        int bestD = 3;
        for (Setting<?> s : allowed) {
            for (String n : names(List.of(s))) {
                int d = distance(key, n);
                if (d < bestD) { bestD = d; best = n; }
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1,
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
