package io.ndopt.checkpoint;

/** A checkpoint that cannot be used: missing, truncated, corrupted, of another version or another model. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) { super(message); }
    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
