package io.ndopt.spark;

import io.ndopt.internal.config.ConfigException;
import org.apache.spark.SparkException;

/**
 * A failed Spark job as the CLI reports failures, in one line: a task's usage error (a device the executor cannot
 * use, say) stays a {@link ConfigException} (exit 2); anything else is a runtime failure (exit 1) with the first
 * line of the task's error, not Spark's stack trace.
 */
final class JobFailure {
    private JobFailure() {}

    static RuntimeException of(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) return new ConfigException("a Spark task: " + c.getMessage());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String first = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        if (root == e) {
            String m = String.valueOf(e.getMessage());
            int at = m.indexOf("): ");                   // "... (TID 3) (host executor 1): java.lang.X: message"
            first = (at >= 0 ? m.substring(at + 3) : m).lines().findFirst().orElse("");
        } else {
            first = root.getClass().getSimpleName() + ": " + first;
        }
        return e instanceof SparkException ? new IllegalStateException("the Spark job failed: " + first, e)
                : e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
}
