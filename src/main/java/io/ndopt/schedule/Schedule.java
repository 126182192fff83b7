package io.ndopt.schedule;

import io.ndopt.internal.validate.Require;

/**
 * A learning rate as a function of the step index.
 *
 * <p>{@code lr(k)} is the rate used by the optimizer step that follows {@code k} completed steps,
 * so step {@code t} (counted from 1) uses {@code lr(t - 1)} — PyTorch's convention of stepping the
 * scheduler once after every optimizer step. {@link #base()} is the nominal (peak) rate; the
 * ratio {@code lr(k) / base()} is the schedule multiplier that the paper variant of AdamW's
 * decoupled decay uses.
 */
public sealed interface Schedule
        permits Schedule.Constant, Schedule.StepDecay, Schedule.Exponential, Schedule.Cosine, Schedule.WarmupCosine {

    double lr(long k);

    double base();

    /** {@code lr(k) / base()}, the schedule's multiplier at step index {@code k} (0 when the base is 0). */
    default double multiplier(long k) {
        return base() == 0 ? 0 : lr(k) / base();
    }

    /** The same schedule with every rate scaled by {@code factor} (per-group learning-rate scaling). */
    Schedule scaled(double factor);

    static Schedule constant(double lr) { return new Constant(lr); }

    /** PyTorch {@code StepLR}: {@code lr · gamma^floor(k / stepSize)}. */
    static Schedule step(double lr, long stepSize, double gamma) { return new StepDecay(lr, stepSize, gamma); }

    /** PyTorch {@code ExponentialLR}: {@code lr · gamma^k}. */
    static Schedule exponential(double lr, double gamma) { return new Exponential(lr, gamma); }

    /** PyTorch {@code CosineAnnealingLR} (closed form): {@code etaMin + (lr − etaMin)(1 + cos(π k / tMax)) / 2}. */
    static Schedule cosine(double lr, long tMax, double etaMin) { return new Cosine(lr, tMax, etaMin); }

    /**
     * Linear warmup from 0 to {@code lr} over {@code warmup} steps ({@code lr·(k+1)/warmup}), then
     * cosine annealing to {@code etaMin} over the remaining {@code total − warmup} steps.
     */
    static Schedule warmupCosine(double lr, long warmup, long total, double etaMin) {
        return new WarmupCosine(lr, warmup, total, etaMin);
    }

    /**
     * Linear warmup from {@code lr/warmup} to {@code lr} over {@code warmup} steps, then constant
     * {@code lr} (a {@link WarmupCosine} whose cosine part is flat) — e.g. the shape of a penalty
     * strength that is ramped up ({@link io.ndopt.regularize.PenaltySchedule}).
     */
    static Schedule linearWarmup(double lr, long warmup) {
        if (warmup <= 0) throw new IllegalArgumentException("warmup must be > 0, got " + warmup);
        return new WarmupCosine(lr, warmup, warmup + 1, lr);
    }

    private static void checkIndex(long k) {
        if (k < 0) throw new IllegalArgumentException("step index must be >= 0, got " + k);
    }

    record Constant(double lr) implements Schedule {
        public Constant { Require.finiteNonNegative("lr", lr); }
        public double lr(long k) { checkIndex(k); return lr; }
        public double base() { return lr; }
        public Schedule scaled(double f) { return new Constant(lr * f); }
    }

    record StepDecay(double lr, long stepSize, double gamma) implements Schedule {
        public StepDecay {
            Require.finiteNonNegative("lr", lr);
            if (stepSize <= 0) throw new IllegalArgumentException("step_size must be > 0, got " + stepSize);
            if (!(gamma > 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("gamma must be > 0, got " + gamma);
            }
        }
        public double lr(long k) { checkIndex(k); return lr * Math.pow(gamma, Math.floorDiv(k, stepSize)); }
        public double base() { return lr; }
        public Schedule scaled(double f) { return new StepDecay(lr * f, stepSize, gamma); }
    }

    record Exponential(double lr, double gamma) implements Schedule {
        public Exponential {
            Require.finiteNonNegative("lr", lr);
            if (!(gamma > 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("gamma must be > 0, got " + gamma);
            }
        }
        public double lr(long k) { checkIndex(k); return lr * Math.pow(gamma, k); }
        public double base() { return lr; }
        public Schedule scaled(double f) { return new Exponential(lr * f, gamma); }
    }

    record Cosine(double lr, long tMax, double etaMin) implements Schedule {
        public Cosine {
            Require.finiteNonNegative("lr", lr);
            Require.finiteNonNegative("eta_min", etaMin);
            if (tMax <= 0) throw new IllegalArgumentException("t_max must be > 0, got " + tMax);
        }
        public double lr(long k) {
            checkIndex(k);
            return etaMin + (lr - etaMin) * (1 + Math.cos(Math.PI * k / tMax)) / 2;
        }
        public double base() { return lr; }
        public Schedule scaled(double f) { return new Cosine(lr * f, tMax, etaMin * f); }
    }

    record WarmupCosine(double lr, long warmup, long total, double etaMin) implements Schedule {
        public WarmupCosine {
            Require.finiteNonNegative("lr", lr);
            Require.finiteNonNegative("eta_min", etaMin);
            if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
            if (total <= warmup) {
                throw new IllegalArgumentException("total (" + total + ") must be > warmup (" + warmup + ")");
            }
        }
        public double lr(long k) {
            checkIndex(k);
            if (k < warmup) return lr * (k + 1) / warmup;
            long span = total - warmup;
            long j = Math.min(k - warmup, span);
            return etaMin + (lr - etaMin) * (1 + Math.cos(Math.PI * j / span)) / 2;
        }
        public double base() { return lr; }
        public Schedule scaled(double f) { return new WarmupCosine(lr * f, warmup, total, etaMin * f); }
    }
}
