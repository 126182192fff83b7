package io.ndopt.internal.run;

import io.ndopt.checkpoint.Checkpoint;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.LayerSpec;
import io.ndopt.internal.config.Raw;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.internal.config.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A resumed run must be the same run: the settings that define it (data, model, optimizer, seed,
 * batch size, split, dtype ...) must equal the checkpoint's, and so must the data itself (SHA-256 of
 * the raw rows). Only keys declared {@code resumable} in {@link Keys} may change (epochs, patience,
 * checkpoint_every, nonfinite, max_params, prune, threads, and device: checkpoints are
 * device-independent, so a run saved on a GPU resumes on the CPU and the other way round; a key the
 * user does not give is the checkpoint's, the device included). {@code allowChanges} (the CLI's
 * {@code --allow-changes}) accepts the differences on purpose; the checkpoint's arrays must still fit.
 */
public final class ResumeCheck {
    private ResumeCheck() {}

    /**
     * The checkpoint's settings as a layer; keys that do not apply to its optimizer (older checkpoints stored
     * them) are dropped.
     */
    public static LayerSpec layer(Checkpoint.Contents c, String where) {
        Object type = c.config().get("optimizer");
        Map<String, Raw> raw = new LinkedHashMap<>();
        c.config().forEach((k, v) -> {
            Setting<?> s = Keys.byName(k);
            if (v != null && (s == null || type == null || s.appliesTo(String.valueOf(type)))) {
                raw.put(k, Raw.typed(v, where));
            }
        });
        return LayerSpec.bind(raw, Keys.all());
    }

    /** Refuses user settings that differ from the checkpoint's, unless {@code allowChanges}. */
    public static void settings(RunRequest checkpoint, RunRequest resumed, Map<Setting<?>, String> userGiven,
            boolean allowChanges) {
        List<String> diffs = new ArrayList<>();
        for (var e : userGiven.entrySet()) {
            Setting<?> s = e.getKey();
            if (s.resumable() || Objects.equals(checkpoint.get(s), resumed.get(s))) continue;
            diffs.add(s.name() + " = " + resumed.get(s) + " (" + e.getValue() + ") but the checkpoint has "
                    + checkpoint.get(s));
        }
        if (!diffs.isEmpty() && !allowChanges) {
            throw new ConfigException("--resume continues the run the checkpoint belongs to, and these settings "
                    + "differ from it: " + String.join("; ", diffs)
                    + ". Drop them, or pass --allow-changes to continue under the new settings.");
        }
    }

    /** Refuses other data than the checkpoint's (when the checkpoint recorded it), unless {@code allowChanges}. */
    public static void data(Checkpoint.Contents c, String dataSha256, boolean allowChanges) {
        Object had = c.run().get("data_sha256");
        if (had != null && dataSha256 != null && !had.equals(dataSha256) && !allowChanges) {
            throw new ConfigException("--resume: the data differs from the data the checkpoint was trained on "
                    + "(SHA-256 of the rows " + dataSha256.substring(0, 12) + "… vs "
                    + had.toString().substring(0, Math.min(12, had.toString().length()))
                    + "…); pass --allow-changes to continue on this data anyway");
        }
    }
}
