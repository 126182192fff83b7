package io.ndopt.internal.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The optimizer types a configuration names ({@code optimizer: adamw}, {@code --run sgd:lr=0.1}, a spec's "type"). */
public enum OptimizerType {
    SGD, ADAM, ADAMW,
    /** SGD whose L1 is the proximal step (the conformance specs' name; the same builder as {@link #SGD}). */
    PROX_SGD,
    /** The element-wise rules of torch.optim (PyTorch 2.x names and defaults) and Lion. */
    RMSPROP, ADAGRAD, ADADELTA, ADAMAX, NADAM, RADAM, RPROP, LION,
    /** Schedule-free AdamW (facebookresearch/schedule_free {@code AdamWScheduleFree}). */
    SCHEDULE_FREE_ADAMW,
    /** PyTorch's Adafactor (factored second moment for matrices). */
    ADAFACTOR,
    /** torch.optim.Muon for the chosen 2-D weights, an aux AdamW for the rest (as MuonWithAuxAdam). */
    MUON;

    private static final Set<String> SPELLINGS = Collections.unmodifiableSet(Arrays.stream(values())
            .map(OptimizerType::spelling).collect(Collectors.<String, Set<String>>toCollection(LinkedHashSet::new)));

    /** The written name: {@code sgd}, {@code adam}, {@code adamw}, {@code prox_sgd}. */
    public String spelling() { return name().toLowerCase(Locale.ROOT); }

    /** Every written name, in declaration order. */
    public static Set<String> spellings() { return SPELLINGS; }

    /** The type written {@code s}; an unknown name is a {@link ConfigException} listing the choices. */
    public static OptimizerType of(String s) {
        for (OptimizerType t : values()) if (t.spelling().equals(s)) return t;
        throw new ConfigException("unknown optimizer type '" + s + "' (one of " + String.join(", ", SPELLINGS) + ")");
    }
}
