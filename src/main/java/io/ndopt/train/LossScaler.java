package io.ndopt.train;

/**
 * Dynamic loss scaling for float16 training, as PyTorch's {@code torch.amp.GradScaler}: the loss gradient is
 * multiplied by {@link #scale()} before the backward pass (so small gradients survive float16), the parameter
 * gradients are divided by it again before the optimizer sees them (so clipping, penalties and every update rule act
 * on the true gradients), and {@link #update} adjusts it after each step:
 * <ul>
 *   <li>an inf or NaN in the scaled gradients: the step is skipped (the optimizer is not called), the scale is
 *       multiplied by {@link #BACKOFF} (0.5) and the count of clean steps restarts;</li>
 *   <li>otherwise the step is taken; after {@code growthInterval} consecutive clean steps (2000 by default) the scale
 *       is multiplied by {@link #GROWTH} (2), unless that overflows float32.</li>
 * </ul>
 * A skipped step does not advance the optimizer's step count (Adam's bias correction, the learning-rate schedule), as
 * PyTorch's {@code optimizer.step()} is not called either (PyTorch's scheduler, stepped by the user, does advance).
 * The scale starts at 2^16 and is a float32, as PyTorch's; its inverse is {@code (float) (1.0 / scale)}. The state
 * ({@link State}) goes into checkpoints, so a resumed run scales exactly as an uninterrupted one.
 */
public final class LossScaler {
    public static final float INIT_SCALE = 65536f;
    public static final float GROWTH = 2f, BACKOFF = 0.5f;
    public static final int GROWTH_INTERVAL = 2000;

    /**
     * The scaler's state.
     *
     * @param scale         the current scale (finite, positive)
     * @param growthTracker clean steps since the last growth or backoff, in {@code [0, growthInterval)}
     * @param skippedSteps  steps skipped so far for an inf or NaN
     */
    public record State(float scale, int growthTracker, long skippedSteps) {
        public State {
            if (!(scale > 0) || Float.isInfinite(scale)) {
                throw new IllegalArgumentException("loss scale must be finite and > 0, got " + scale);
            }
            if (growthTracker < 0 || skippedSteps < 0) {
                throw new IllegalArgumentException("loss scaler: negative counters (" + growthTracker + ", "
                        + skippedSteps + ")");
            }
        }
    }

    private final int growthInterval;
    private float scale;
    private int growthTracker;
    private long skipped;

    /** PyTorch's defaults: scale 2^16, growth ×2 every 2000 clean steps, backoff ×0.5. */
    public LossScaler() { this(new State(INIT_SCALE, 0, 0), GROWTH_INTERVAL); }

    /** From {@code state} (e.g. a checkpoint's), growing after {@code growthInterval} clean steps. */
    public LossScaler(State state, int growthInterval) {
        if (growthInterval < 1) throw new IllegalArgumentException("growth interval must be >= 1, got " + growthInterval);
        if (state.growthTracker() >= growthInterval) {
            throw new IllegalArgumentException("loss scaler: growth tracker " + state.growthTracker()
                    + " is not below the growth interval " + growthInterval);
        }
        this.growthInterval = growthInterval;
        this.scale = state.scale();
        this.growthTracker = state.growthTracker();
        this.skipped = state.skippedSteps();
    }

    public float scale() { return scale; }

    /** What the gradients are multiplied by to unscale them: {@code (float) (1.0 / scale)}, as PyTorch. */
    public float inverse() { return (float) (1.0 / (double) scale); }

    public int growthTracker() { return growthTracker; }

    public long skippedSteps() { return skipped; }

    public int growthInterval() { return growthInterval; }

    public State state() { return new State(scale, growthTracker, skipped); }

    /**
     * After a step's gradients were checked: returns whether the optimizer steps ({@code false} when
     * {@code foundNonFinite}), and adjusts the scale for the next step (see the class comment).
     */
    public boolean update(boolean foundNonFinite) {
        if (foundNonFinite) {
            scale = scale * BACKOFF;
            growthTracker = 0;
            skipped++;
            if (scale == 0) {
                throw new IllegalStateException("loss scaling: the scale fell to 0 after " + skipped + " skipped steps "
                        + "(the float16 gradients are inf or NaN at any scale; train in bf16 or fp32)");
            }
            return false;
        }
        int clean = growthTracker + 1;
        if (clean == growthInterval) {
            float grown = scale * GROWTH;
            if (Float.isFinite(grown)) scale = grown;
            growthTracker = 0;
        } else {
            growthTracker = clean;
        }
        return true;
    }
}
