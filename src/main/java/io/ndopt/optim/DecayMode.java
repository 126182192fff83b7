package io.ndopt.optim;

/** Where weight decay sits relative to the rule. */
public enum DecayMode {
    /** L2 through the gradient: {@code d = g + wd·w} before the rule (PyTorch SGD/Adam {@code weight_decay}). */
    COUPLED,
    /** Decoupled, before the rule: {@code w ← w·(1 − lr_t·wd)} (PyTorch {@code AdamW}). */
    DECOUPLED,
    /**
     * Decoupled as in Loshchilov &amp; Hutter's paper: {@code w ← w·(1 − η_t·wd)} with {@code η_t} the
     * schedule multiplier {@code lr_t / lr} only, not the base learning rate.
     */
    DECOUPLED_SCHEDULE_ONLY
}
