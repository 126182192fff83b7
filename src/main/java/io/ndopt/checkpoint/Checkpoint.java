package io.ndopt.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import io.ndopt.internal.io.AtomicFiles;
import io.ndopt.internal.io.Json;
import io.ndopt.internal.io.Npy;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.LossScaler;
import io.ndopt.train.TrainState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One versioned file holding everything a run needs to continue exactly: parameters, optimizer
 * state (moments, step counters, schedule position), the training loop's state (epoch, batch, RNG
 * position, history, early-stopping bookkeeping) and the run's configuration.
 *
 * <p>Format: a zip with {@code manifest.json} ({@code format}, {@code version}, per-entry SHA-256,
 * train state, config), one {@code .npy} per array under {@code params/}, {@code optimizer/} and
 * {@code best/}, and {@value #SEAL}, the SHA-256 of the manifest's bytes: so every entry and every field of
 * the manifest (step counters, batch position, history, learning rate and the rest of the config) is
 * covered by a hash, an edit or a corruption is refused, and so is an entry the manifest does not list.
 * Loading also cross-checks the counters ({@link CheckpointChecks}). The hashes detect edits and damage;
 * they are not a signature (whoever recomputes them all can forge a checkpoint). It is written to a temporary file, fsync'ed and renamed over the previous
 * checkpoint ({@link AtomicFiles}), so a crash leaves either the old or the new file, never a mix.
 * Loading verifies every checksum and shape before anything is applied.
 */
public final class Checkpoint {
    public static final String FORMAT = "ndopt-checkpoint";
    /** 2: the manifest is sealed ({@value #SEAL}) and cross-checked; version 1 files are refused. */
    public static final int VERSION = 2;
    /** The entry holding the SHA-256 of {@code manifest.json}'s bytes, written last. */
    public static final String SEAL = "manifest.sha256";
    public static final String FILE = "checkpoint.zip";

    /** A verified checkpoint's contents. */
    public record Contents(Map<String, INDArray> params, Map<String, INDArray> optimizer, TrainState state,
                           Map<String, Object> config, Map<String, Object> run, Instant created) {}

    private Checkpoint() {}

    /**
     * The checkpoint file for a path that is the file itself, its folder, or a run folder holding {@code checkpoint/}.
     */
    public static Path file(Path fileOrDir) {
        if (!Files.isDirectory(fileOrDir) && fileOrDir.toString().endsWith(".zip")) return fileOrDir;
        Path inRun = fileOrDir.resolve("checkpoint").resolve(FILE);
        return !Files.isRegularFile(fileOrDir.resolve(FILE)) && Files.isRegularFile(inRun) ? inRun
                : fileOrDir.resolve(FILE);
    }

    public static void save(Path fileOrDir, List<Param> params, Optimizer opt, TrainState state,
            Map<String, Object> config)
            throws IOException {
        save(fileOrDir, params, opt, state, config, Map.of());
    }

    /**
     * @param run facts about the run a resume must agree with (e.g. {@code data_sha256}); stored as-is
     * @throws CheckpointException if the counters of {@code state} and {@code opt} disagree ({@link CheckpointChecks})
     */
    public static void save(Path fileOrDir, List<Param> params, Optimizer opt, TrainState state,
            Map<String, Object> config,
                            Map<String, Object> run) throws IOException {
        Path target = file(fileOrDir);
        // a checkpoint that load() would refuse is refused here, where the mistake is made
        CheckpointChecks.crossCheck(target, state, opt.stepCount(), opt.skippedSteps());
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (Param p : params) arrays.put("params/" + p.name() + ".npy", p.value());
        for (var e : opt.stateDict().entrySet()) arrays.put("optimizer/" + e.getKey() + ".npy", e.getValue());
        if (state.bestParams() != null) {
            for (var e : state.bestParams().entrySet()) arrays.put("best/" + e.getKey() + ".npy", e.getValue());
        }
        removeStaleTemporaries(target);
        Map<String, Object> sums = new LinkedHashMap<>();
        // streamed straight into the temporary file; the manifest (with every checksum) is the last entry
        AtomicFiles.write(target, ch -> {
            ZipOutputStream zip = new ZipOutputStream(Channels.newOutputStream(ch));
            for (var e : arrays.entrySet()) {
                byte[] data = Npy.write(e.getValue());
                sums.put(e.getKey(), Map.of("sha256", sha256(data), "bytes", data.length));
                put(zip, e.getKey(), data);
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("format", FORMAT);
            manifest.put("version", VERSION);
            manifest.put("created", Instant.now().toString());
            manifest.put("entries", sums);
            manifest.put("train_state", stateToMap(state));
            manifest.put("config", config);
            manifest.put("run", run);
            byte[] manifestBytes = Json.PLAIN.writeValueAsBytes(manifest);
            put(zip, "manifest.json", manifestBytes);
            put(zip, SEAL, sha256(manifestBytes).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            zip.finish();
            zip.flush();
        });
    }

    /** Temporary files a killed writer left behind (one writer per checkpoint folder is assumed). */
    private static void removeStaleTemporaries(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) return;
        String prefix = "." + target.getFileName() + ".";
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    /** Reads and verifies a checkpoint; any problem is a {@link CheckpointException} saying what is wrong. */
    public static Contents load(Path fileOrDir) {
        Path f = file(fileOrDir);
        if (!Files.isRegularFile(f)) throw new CheckpointException(f + ": no checkpoint file");
        Map<String, byte[]> raw = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(f)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (raw.put(e.getName(), zip.readAllBytes()) != null) {
                    throw new CheckpointException(f + ": entry '" + e.getName() + "' appears twice (tampered)");
                }
            }
        } catch (IOException e) {
            throw new CheckpointException(f + ": truncated or not a checkpoint (" + e.getMessage() + ")", e);
        }
        byte[] manifestBytes = raw.remove("manifest.json");
        if (manifestBytes == null) {
            throw new CheckpointException(f + ": no manifest.json (truncated or not a checkpoint)");
        }
        byte[] seal = raw.remove(SEAL);
        Map<String, Object> manifest;
        try {
            manifest = Json.PLAIN.readValue(manifestBytes, new TypeReference<>() {});
        } catch (IOException e) {
            throw new CheckpointException(f + ": corrupted manifest.json (" + e.getMessage() + ")", e);
        }
        if (!FORMAT.equals(manifest.get("format"))) {
            throw new CheckpointException(f + ": not an ndopt checkpoint (format " + manifest.get("format") + ")");
        }
        if (Integer.valueOf(1).equals(manifest.get("version"))) {
            throw new CheckpointException(f + ": checkpoint version 1 (an older ndopt) has no sealed manifest and"
                    + " cannot be verified; resume it with the ndopt that wrote it, or start the run again");
        }
        if (!Integer.valueOf(VERSION).equals(manifest.get("version"))) {
            throw new CheckpointException(f + ": checkpoint version " + manifest.get("version")
                    + " is not supported (this ndopt reads version " + VERSION + ")");
        }
        if (seal == null) throw new CheckpointException(f + ": no " + SEAL + " (truncated or tampered)");
        if (!sha256(manifestBytes).equals(new String(seal, java.nio.charset.StandardCharsets.US_ASCII).strip())) {
            throw new CheckpointException(f + ": manifest.json does not match " + SEAL
                    + " (edited or corrupted: a step counter, the batch position, the history or the config changed)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> sums = (Map<String, Map<String, Object>>) manifest.get("entries");
        if (sums == null) throw new CheckpointException(f + ": manifest has no entry list");
        for (String name : raw.keySet()) {
            if (!sums.containsKey(name)) {
                throw new CheckpointException(f + ": entry '" + name + "' is not listed in the manifest (tampered)");
            }
        }
        Map<String, INDArray> params = new LinkedHashMap<>(), optimizer = new LinkedHashMap<>(),
                best = new LinkedHashMap<>();
        for (var e : sums.entrySet()) {
            byte[] data = raw.get(e.getKey());
            if (data == null) {
                throw new CheckpointException(f + ": entry '" + e.getKey() + "' is missing (truncated checkpoint)");
            }
            if (!sha256(data).equals(e.getValue().get("sha256"))) {
                throw new CheckpointException(f + ": entry '" + e.getKey() + "' fails its SHA-256 check (corrupted)");
            }
            INDArray a;
            try {
                a = Npy.read(data, e.getKey());
            } catch (IOException ex) {
                throw new CheckpointException(f + ": " + ex.getMessage(), ex);
            }
            String key = e.getKey().substring(e.getKey().indexOf('/') + 1, e.getKey().length() - 4);
            (e.getKey().startsWith("params/") ? params : e.getKey().startsWith("best/") ? best : optimizer).put(key, a);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) manifest.getOrDefault("config", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> run = manifest.get("run") instanceof Map<?, ?> r ? (Map<String, Object>) r : Map.of();
        TrainState state = stateFromMap(manifest.get("train_state"), best.isEmpty() ? null : best, f);
        CheckpointChecks.crossCheck(f, state, optimizer);
        return new Contents(params, optimizer, state, config, run,
                Instant.parse(String.valueOf(manifest.get("created"))));
    }

    /** Copies a checkpoint's parameters and optimizer state into a live model; validates everything first. */
    public static void restore(Contents c, List<Param> params, Optimizer opt) {
        for (Param p : params) {
            INDArray a = c.params().get(p.name());
            if (a == null) throw new CheckpointException("checkpoint has no parameter '" + p.name() + "'");
            if (!Arrays.equals(a.shape(), p.shape()) || a.dataType() != p.dtype()) {
                throw new CheckpointException("checkpoint parameter '" + p.name() + "' is " + Arrays.toString(a.shape())
                        + " " + a.dataType() + ", the model's is " + Arrays.toString(p.shape()) + " " + p.dtype());
            }
        }
        if (c.params().size() != params.size()) {
            throw new CheckpointException("checkpoint has " + c.params().size() + " parameters, the model has "
                    + params.size());
        }
        try {
            opt.loadStateDict(c.optimizer());     // validates before writing
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint optimizer state does not fit this optimizer: "
                    + e.getMessage(), e);
        }
        for (Param p : params) p.setValue(c.params().get(p.name()));
    }

    private static Map<String, Object> stateToMap(TrainState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", s.epoch());
        m.put("batch", s.batch());
        m.put("global_step", s.globalStep());
        m.put("best_val", Double.toString(s.bestVal()));
        m.put("best_epoch", s.bestEpoch());
        m.put("bad_epochs", s.badEpochs());
        m.put("stopped", s.stopped());
        m.put("history", s.history().stream().map(r -> Json.PLAIN.convertValue(r, Map.class)).toList());
        if (s.lossScaler() != null) {          // float16 training: the scale as its exact float32 bits
            LossScaler.State ls = s.lossScaler();
            Map<String, Object> scaler = new LinkedHashMap<>();
            scaler.put("scale_bits", Float.floatToRawIntBits(ls.scale()));
            scaler.put("scale", (double) ls.scale());        // for readers; the bits are what is loaded
            scaler.put("growth_tracker", ls.growthTracker());
            scaler.put("skipped_steps", ls.skippedSteps());
            m.put("loss_scaler", scaler);
        }
        return m;
    }

    private static TrainState stateFromMap(Object o, Map<String, INDArray> best, Path f) {
        try {
            Map<?, ?> m = (Map<?, ?>) o;
            List<EpochRecord> history =
                    Json.PLAIN.convertValue(m.get("history"), new TypeReference<List<EpochRecord>>() {});
            return new TrainState(((Number) m.get("epoch")).intValue(), ((Number) m.get("batch")).intValue(),
                    ((Number) m.get("global_step")).longValue(), history,
                    Double.parseDouble(String.valueOf(m.get("best_val"))),
                    ((Number) m.get("best_epoch")).intValue(), ((Number) m.get("bad_epochs")).intValue(),
                    (Boolean) m.get("stopped"), best, scalerFromMap(m.get("loss_scaler")));
        } catch (RuntimeException e) {
            throw new CheckpointException(f + ": malformed train_state in manifest (" + e.getMessage() + ")", e);
        }
    }

    private static LossScaler.State scalerFromMap(Object o) {
        if (o == null) return null;
        Map<?, ?> m = (Map<?, ?>) o;
        return new LossScaler.State(Float.intBitsToFloat(((Number) m.get("scale_bits")).intValue()),
                ((Number) m.get("growth_tracker")).intValue(), ((Number) m.get("skipped_steps")).longValue());
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
