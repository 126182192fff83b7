package io.ndopt.glm;

/**
 * Progress of a path fit, for a progress bar: called after each α of a path is solved. For
 * {@link Glm#pathWithCv} and {@link Glm#crossValidate} a "fit" is one α of one path — every fold's path and the
 * path on all the data — so {@code total} is (folds + 1)·α or folds·α. The folds run in parallel, but the calls
 * are serialized: never two at once, {@code done} rising by one from 1 to {@code total}, so a listener needs no
 * locking of its own (and should return quickly: the fold threads wait for it). A listener changes nothing in the
 * results; an exception it throws ends the fit and reaches the caller.
 */
@FunctionalInterface
public interface PathListener {
    /** {@code done} of {@code total} fits finished. */
    void onFit(int done, int total);

    /** Listens to nothing. */
    PathListener NONE = (done, total) -> {};
}
