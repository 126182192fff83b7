package io.ndopt.internal.cuda;

/**
 * Releases several resources where each release may fail: every release runs, the first failure is kept and the
 * later ones are attached to it as suppressed exceptions, and {@link #rethrow} throws it at the end. So a failed
 * free neither stops the frees after it nor hides the error that came first.
 */
final class Closer {
    /** One release step. */
    interface Step { void run(); }

    private RuntimeException first;

    /** Runs {@code step}, keeping its failure (the first) or suppressing it (a later one). */
    void run(Step step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            if (first == null) first = e;
            else if (first != e) first.addSuppressed(e);
        }
    }

    /** Throws the first failure, with the later ones suppressed; nothing when every step succeeded. */
    void rethrow() {
        if (first != null) throw first;
    }
}
