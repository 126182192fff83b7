package io.ndopt.glm;

/** Counts the fits of one call to {@link Glm} for its {@link PathListener}, safely from the parallel CV folds. */
final class FitCount {
    private final PathListener listener;
    private final int total;
    private int done;

    FitCount(PathListener listener, long total) {
        if (listener == null) throw new IllegalArgumentException("listener is null (use PathListener.NONE)");
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("more than 2^31 fits: " + total);
        this.listener = listener;
        this.total = (int) total;
    }

    /** A counter that reports to no one. */
    static FitCount none() { return new FitCount(PathListener.NONE, 0); }

    /** One more α solved; the listener hears of it under this counter's lock, in order. */
    synchronized void fitted() {
        if (listener == PathListener.NONE) return;
        listener.onFit(++done, total);
    }
}
