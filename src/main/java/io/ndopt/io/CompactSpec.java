package io.ndopt.io;

import java.util.LinkedHashMap;
import java.util.Map;

/** The command-line form {@code TYPE:key=value,key=value} of optimizers and schedules. */
public final class CompactSpec {
    private CompactSpec() {}

    /** A map with {@code "type"} and every key=value pair as strings; {@code what} names the thing in errors. */
    public static Map<String, Object> parse(String compact, String what) {
        String[] head = compact.split(":", 2);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", head[0].trim());
        if (head.length > 1 && !head[1].isBlank()) {
            for (String kv : head[1].split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2) throw new IllegalArgumentException(what + " '" + compact + "': expected key=value, got '" + kv + "'");
                fields.put(p[0].trim(), p[1].trim());
            }
        }
        return fields;
    }
}
