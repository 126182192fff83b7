package io.ndopt.internal.config;

import io.ndopt.backend.Threads;
import io.ndopt.device.Device;
import io.ndopt.internal.io.Numbers;
import io.ndopt.regularize.GroupLasso;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The type of a setting and its two ways in: text (command line, compact specs; parsed strictly,
 * see {@link Numbers}) and typed values from JSON/YAML (the type must match exactly: {@code 1.5}
 * is not an integer, {@code "yes"} is not a boolean). Failures throw IllegalArgumentException
 * with the expectation ("must be an integer, got 1.5"); the binder adds the key and source.
 */
public interface Kind<T> {
    T fromText(String s);

    T fromTyped(Object v);

    /** The value as plain JSON/YAML data (numbers, strings, lists, maps), the form config dumps use. */
    default Object plain(T v) { return v; }

    Kind<Integer> INT = new Kind<>() {
        public Integer fromText(String s) { return Numbers.parseInt(s); }
        public Integer fromTyped(Object v) {
            long l = integral(v);
            if (l != (int) l) throw new IllegalArgumentException("must be an integer in int range, got " + v);
            return (int) l;
        }
    };

    Kind<Long> LONG = new Kind<>() {
        public Long fromText(String s) { return Numbers.parseLong(s); }
        public Long fromTyped(Object v) { return integral(v); }
    };

    Kind<Double> DOUBLE = new Kind<>() {
        public Double fromText(String s) { return Numbers.parseDouble(s); }
        public Double fromTyped(Object v) {
            if (!(v instanceof Number n)) throw new IllegalArgumentException("must be a number, got " + shown(v));
            double d = n.doubleValue();
            if (!Double.isFinite(d)) throw new IllegalArgumentException("must be a finite number, got " + v);
            return d;
        }
    };

    Kind<Boolean> BOOL = new Kind<>() {
        public Boolean fromText(String s) {
            if (s.equals("true") || s.equals("false")) return Boolean.valueOf(s);
            throw new IllegalArgumentException("must be true or false, got '" + s + "'");
        }
        public Boolean fromTyped(Object v) {
            if (v instanceof Boolean b) return b;
            throw new IllegalArgumentException("must be true or false, got " + shown(v));
        }
    };

    Kind<String> STRING = new Kind<>() {
        public String fromText(String s) {
            if (s.isBlank()) throw new IllegalArgumentException("must not be empty");
            return s;
        }
        public String fromTyped(Object v) {
            if (v instanceof String s) return fromText(s);
            throw new IllegalArgumentException("must be a string, got " + shown(v));
        }
    };

    /** One of a fixed set of names (case-insensitive; stored lower-case). */
    static Kind<String> choice(String... names) {
        Set<String> valid = new TreeSet<>(List.of(names));
        return new Kind<>() {
            public String fromText(String s) {
                String v = s.trim().toLowerCase(Locale.ROOT);
                if (!valid.contains(v)) {
                    throw new IllegalArgumentException("must be one of " + String.join(", ", valid)
                            + ", got '" + s + "'");
                }
                return v;
            }
            public String fromTyped(Object v) { return fromText(STRING.fromTyped(v)); }
        };
    }

    /** LayerSpec sizes: {@code 64,64} or {@code none}; in files also a list of integers. Empty list = none. */
    Kind<List<Integer>> SIZES = new Kind<>() {
        public List<Integer> fromText(String s) {
            if (s.trim().equals("none")) return List.of();
            List<Integer> out = new ArrayList<>();
            for (String part : s.split(",", -1)) {
                try {
                    out.add(positive(Numbers.parseInt(part.trim()), s));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be comma-separated positive sizes like 64,64 (or none), "
                            + "got '" + s + "'");
                }
            }
            return List.copyOf(out);
        }
        public List<Integer> fromTyped(Object v) {
            if (v instanceof String s) return fromText(s);
            if (v instanceof List<?> l) return l.stream().map(e -> positive(INT.fromTyped(e), l)).toList();
            return List.of(positive(INT.fromTyped(v), v));
        }
        private static int positive(int n, Object all) {
            if (n <= 0) throw new IllegalArgumentException("sizes must be positive integers, got " + all);
            return n;
        }
        public Object plain(List<Integer> v) { return v.isEmpty() ? "none" : v; }
    };

    /** Two numbers: {@code 0.9,0.999} or {@code 0.9/0.999} as text, a two-element list in files. */
    Kind<List<Double>> PAIR = new Kind<>() {
        public List<Double> fromText(String s) {
            String[] p = s.split("[,/]", -1);
            if (p.length != 2) {
                throw new IllegalArgumentException("must be two numbers like 0.9,0.999, got '" + s + "'");
            }
            return List.of(Numbers.parseDouble(p[0].trim()), Numbers.parseDouble(p[1].trim()));
        }
        public List<Double> fromTyped(Object v) {
            if (v instanceof String s) return fromText(s);
            if (!(v instanceof List<?> l) || l.size() != 2) {
                throw new IllegalArgumentException("must be a list of two numbers, got " + shown(v));
            }
            return List.of(DOUBLE.fromTyped(l.get(0)), DOUBLE.fromTyped(l.get(1)));
        }
    };

    /** One or more numbers: {@code 0.2} or {@code 0.2,0.1} as text; a number or a list in files. */
    Kind<List<Double>> NUMBERS = new Kind<>() {
        public List<Double> fromText(String s) {
            List<Double> out = new ArrayList<>();
            for (String part : s.split(",", -1)) out.add(Numbers.parseDouble(part.trim()));
            return List.copyOf(out);
        }
        public List<Double> fromTyped(Object v) {
            if (v instanceof String s) return fromText(s);
            if (v instanceof List<?> l) return l.stream().map(DOUBLE::fromTyped).toList();
            return List.of(DOUBLE.fromTyped(v));
        }
    };

    /**
     * CPU threads: {@code B} (BLAS threads) or {@code B,N} (BLAS, ND4J), see
     * {@link io.ndopt.backend.Threads.Split#parse}.
     */
    Kind<String> THREADS = new Kind<>() {
        public String fromText(String s) {
            Threads.Split.parse(s);
            return s.trim();
        }
        public String fromTyped(Object v) {
            if (v instanceof Integer || v instanceof Long) return fromText(String.valueOf(v));
            return fromText(STRING.fromTyped(v));
        }
    };

    /**
     * Where a run computes: {@code cpu}, {@code cuda} (= {@code cuda:0}) or {@code cuda:N}, see
     * {@link Device#parse}. Only the spelling is checked here; whether the device can be used on
     * this machine is checked before the run starts ({@code train.DeviceChoice}).
     */
    Kind<Device> DEVICE = new Kind<>() {
        public Device fromText(String s) { return Device.parse(s); }
        public Device fromTyped(Object v) {
            if (v instanceof Device d) return d;
            if (v instanceof String s) return fromText(s);
            throw new IllegalArgumentException("must be cpu, cuda or cuda:N, got " + shown(v));
        }
        public Object plain(Device v) { return v.toString(); }
    };

    /** A learning-rate schedule: {@code cosine:t_max=100} as text, the same or an object in files. */
    Kind<ScheduleSpec> SCHEDULE = new Kind<>() {
        public ScheduleSpec fromText(String s) { return ScheduleSpec.parse(s); }
        @SuppressWarnings("unchecked")
        public ScheduleSpec fromTyped(Object v) {
            if (v instanceof ScheduleSpec s) return s;
            if (v instanceof String s) return fromText(s);
            if (v instanceof Map<?, ?> m) return ScheduleSpec.fromMap((Map<String, ?>) m);
            throw new IllegalArgumentException("must be a schedule like cosine:t_max=100 or {type: cosine, t_max: "
                    + "100}, got " + shown(v));
        }
        public Object plain(ScheduleSpec v) { return v.toMap(); }
    };

    /**
     * A group-lasso penalty: {@code λ[:rows|cols]} as text; in files the same text or the object
     * {@code {lambda: λ, groups: [[0, 1], [2, 3, 4]], weights: [..]}} (or {@code by: rows|cols}), see
     * {@link GroupLassoSpec}.
     */
    Kind<GroupLasso> GROUP_LASSO = new Kind<>() {
        public GroupLasso fromText(String s) { return GroupLassoSpec.parse(s); }
        public GroupLasso fromTyped(Object v) { return GroupLassoSpec.fromMap(v); }
        public Object plain(GroupLasso v) { return GroupLassoSpec.toMap(v); }
    };

    /**
     * Penalty schedules: {@code l1=linear_warmup:warmup=200;weight_decay=cosine:t_max=1000}, see
     * {@link PenaltySchedules}.
     */
    Kind<Map<String, ScheduleSpec>> PENALTY_SCHEDULE = new Kind<>() {
        public Map<String, ScheduleSpec> fromText(String s) { return PenaltySchedules.parse(s); }
        public Map<String, ScheduleSpec> fromTyped(Object v) { return PenaltySchedules.fromTyped(v); }
        public Object plain(Map<String, ScheduleSpec> v) { return PenaltySchedules.plain(v); }
    };

    private static long integral(Object v) {
        if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
        if (v instanceof BigInteger b) {
            if (b.bitLength() < 64) return b.longValue();
            throw new IllegalArgumentException("integer out of range: " + v);
        }
        throw new IllegalArgumentException("must be an integer, got " + shown(v));
    }

    /** A value as an error message shows it: strings quoted, so "5" and 5 differ. */
    static String shown(Object v) {
        return v instanceof String s ? "'" + s + "' (a string)" : v instanceof Map ? "an object" : String.valueOf(v);
    }
}
