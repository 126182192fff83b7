package io.ndopt.internal.validate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Reads an enum constant from the name a user wrote (command line, config files, compact specs).
 * Each enum states its own rules in one call: how the text is normalized before comparing, and
 * each constant's spellings, the first of which is the one error messages list as valid.
 */
public final class EnumNames {
    /** Case-insensitive, {@code -} read as {@code _}: {@code Leaky-ReLU} is {@code leaky_relu}. */
    public static final UnaryOperator<String> LOWER_UNDERSCORE = t -> t.replace('-', '_').toLowerCase(Locale.ROOT);

    private EnumNames() {}

    /** The constant whose lower-case name is {@code normalize(text)}. */
    public static <E extends Enum<E>> E parse(String what, String text, E[] values, UnaryOperator<String> normalize) {
        return parse(what, text, values, normalize, e -> List.of(e.name().toLowerCase(Locale.ROOT)));
    }

    /**
     * The constant one of whose {@code spellings} equals {@code normalize(text)}; otherwise an
     * IllegalArgumentException {@code unknown WHAT 'TEXT' (valid: a, b, c)}.
     */
    public static <E extends Enum<E>> E parse(String what, String text, E[] values, UnaryOperator<String> normalize,
                                              Function<E, List<String>> spellings) {
        if (text != null) {
            String key = normalize.apply(text);
            for (E e : values) if (spellings.apply(e).contains(key)) return e;
        }
        String valid = Arrays.stream(values).map(e -> spellings.apply(e).get(0)).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown " + what + " '" + text + "' (valid: " + valid + ")");
    }
}
