package io.ndopt.internal.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command-line form {@code TYPE:key=value,key=value} of optimizers and schedules. An empty
 * type, an empty pair (a stray comma), a pair without {@code =} or a key given twice is an error.
 */
public final class CompactSpec {
    private CompactSpec() {}

    /** A map with {@code "type"} and every key=value pair as strings; {@code what} names the thing in errors. */
    public static Map<String, Object> parse(String compact, String what) {
        String[] head = compact.split(":", 2);
        Map<String, Object> fields = new LinkedHashMap<>();
        if (head[0].isBlank()) throw new ConfigException(what + " '" + compact + "': missing type before ':'");
        fields.put("type", head[0].trim());
        if (head.length > 1 && !head[1].isBlank()) {
            for (String kv : head[1].split(",", -1)) {
                String[] p = kv.split("=", 2);
                if (p.length != 2 || p[0].isBlank()) {
                    throw new ConfigException(what + " '" + compact + "': expected key=value, got '" + kv + "'");
                }
                if (fields.put(p[0].trim(), p[1].trim()) != null) {
                    throw new ConfigException(what + " '" + compact + "': key '" + p[0].trim() + "' given twice");
                }
            }
        }
        return fields;
    }
}
