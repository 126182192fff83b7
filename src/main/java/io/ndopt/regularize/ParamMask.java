package io.ndopt.regularize;

import io.ndopt.param.Param;
import io.ndopt.param.Role;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which parameters a group's weight decay, L1, L2 and group lasso touch: by role (the default,
 * weights only; never by rank, since ND4J biases are {@code [1, n]}), by a name pattern, by an
 * explicit predicate, or a combination. The description goes into the optimizer's log line.
 */
public record ParamMask(String description, Predicate<Param> predicate) {
    public ParamMask {
        Objects.requireNonNull(description, "mask description");
        Objects.requireNonNull(predicate, "mask predicate");
    }

    /** Parameters whose role is one of {@code roles}. */
    public static ParamMask roles(Set<Role> roles) {
        Set<Role> r = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        return new ParamMask("role in " + new TreeSet<>(r), p -> r.contains(p.role()));
    }

    public static ParamMask roles(Role... roles) { return roles(Set.of(roles)); }

    /** Parameters whose whole name matches the regular expression {@code regex}, e.g. {@code "fc1\\..*"}. */
    public static ParamMask names(String regex) {
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("mask: bad name pattern '" + regex + "': " + e.getDescription());
        }
        return new ParamMask("name matches /" + regex + "/", q -> p.matcher(q.name()).matches());
    }

    /** Parameters accepted by {@code predicate}; {@code description} says which, for the log. */
    public static ParamMask where(String description, Predicate<Param> predicate) {
        return new ParamMask(description, predicate);
    }

    public boolean test(Param p) { return predicate.test(p); }

    public ParamMask and(ParamMask o) {
        return new ParamMask("(" + description + " and " + o.description + ")", predicate.and(o.predicate));
    }

    public ParamMask or(ParamMask o) {
        return new ParamMask("(" + description + " or " + o.description + ")", predicate.or(o.predicate));
    }

    public ParamMask negate() { return new ParamMask("not " + description, predicate.negate()); }

    @Override public String toString() { return description; }
}
