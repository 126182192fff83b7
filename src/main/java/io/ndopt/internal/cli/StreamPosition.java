package io.ndopt.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ndopt.checkpoint.Checkpoint;
import io.ndopt.data.StreamingDataset;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.io.Json;
import io.ndopt.internal.run.Experiment;
import io.ndopt.train.TrainState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streamed run's position in its checkpoint: the manifest's {@code run.stream} entry
 * ({@link StreamingDataset#position}: epoch, batch, shard order, window, window seed, the shard and row where the
 * window begins, the rows of it already trained on). A resume recomputes it from the checkpoint's epoch and batch
 * over the data it reads and refuses a mismatch (other shards, rows or buffer), as it refuses other data.
 */
final class StreamPosition {
    private StreamPosition() {}

    /** The checkpoint's stream position, or null for a run that was not streamed. */
    static Map<?, ?> of(Checkpoint.Contents c) { return c.run().get("stream") instanceof Map<?, ?> m ? m : null; }

    /** The {@code run} entry of a checkpoint: the data's SHA-256 and, streamed, the position. */
    static Map<String, Object> runMap(Experiment exp, TrainState st, int batchSize) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_sha256", exp.dataSha256);
        if (exp.stream != null) m.put("stream", exp.stream.position(st.epoch(), st.batch(), batchSize));
        return m;
    }

    /** Refuses to resume a streamed checkpoint in memory or the other way round (before the data is read). */
    static void checkMode(Checkpoint.Contents c, boolean stream, boolean allowChanges) {
        Map<?, ?> had = of(c);
        if (allowChanges) return;
        if (had != null && !stream) {
            throw new ConfigException("--resume: the checkpoint is of a streamed run; resume it with --stream (or "
                    + "pass --allow-changes to continue in memory, in another row order)");
        }
        if (had == null && stream) {
            throw new ConfigException("--resume: the checkpoint is of an in-memory run; resume it without --stream "
                    + "(or pass --allow-changes to continue streamed, in another row order)");
        }
    }

    /** Refuses to resume a streamed checkpoint from another position than the data read now gives. */
    static void check(Checkpoint.Contents c, Experiment exp, int batchSize, boolean allowChanges) {
        Map<?, ?> had = of(c);
        if (had == null || exp.stream == null || allowChanges) return;
        Map<String, Object> now = exp.stream.position(c.state().epoch(), c.state().batch(), batchSize);
        if (!tree(had).equals(tree(now))) {
            throw new ConfigException("--resume: the checkpoint's stream position " + had + " does not match the "
                    + "data read now " + now + "; pass --allow-changes to continue anyway");
        }
    }

    /** What metrics.json says of a stream. */
    static Map<String, Object> summary(StreamingDataset d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shards", d.shards().size());
        m.put("shuffle_buffer", d.shuffleBuffer());
        m.put("order", d.fullPermutation() ? "full-permutation" : "shard-order+window");
        return m;
    }

    private static JsonNode tree(Object o) {
        try {
            return Json.PLAIN.readTree(Json.PLAIN.writeValueAsBytes(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
