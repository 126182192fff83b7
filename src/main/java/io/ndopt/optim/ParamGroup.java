package io.ndopt.optim;

import io.ndopt.param.Param;
import java.util.List;
import java.util.Objects;

/** A named list of parameters sharing one set of {@link GroupOptions}. */
public record ParamGroup(String name, List<Param> params, GroupOptions options) {
    public ParamGroup {
        Objects.requireNonNull(name, "group name");
        params = List.copyOf(params);
        Objects.requireNonNull(options, () -> "group '" + name + "': options");
    }
}
