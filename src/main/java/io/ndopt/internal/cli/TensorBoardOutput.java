package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.internal.io.Json;
import io.ndopt.internal.tensorboard.EventWriter;
import io.ndopt.internal.tensorboard.TensorBoardRun;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.TrainListener;
import io.ndopt.train.TrainState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a command's TensorBoard event files go ({@code tensorboard}: default {@code tensorboard/} in the run
 * folder, another folder, or {@code none}), one subfolder per run for compare and sweep, so that
 * {@code tensorboard --logdir} overlays the runs. Event files inside the run folder are listed in its manifest.
 */
final class TensorBoardOutput {
    /** The default folder, inside the run folder. */
    static final String FOLDER = "tensorboard";
    private final RunFolder folder;
    private final Path root;      // null: no event files

    TensorBoardOutput(RunFolder folder, RunRequest s) {
        this.folder = folder;
        String dir = s.get(Keys.TENSORBOARD);
        if (dir != null && dir.isBlank()) throw new ConfigException("tensorboard: empty folder name (or 'none')");
        this.root = "none".equals(dir) ? null : dir == null ? folder.dir.resolve(FOLDER) : Path.of(dir);
        if (root != null && Files.exists(root) && !Files.isDirectory(root)) {
            throw new ConfigException("tensorboard: " + root + " is a file, not a folder");
        }
    }

    /** The folder of the event files, or null with {@code tensorboard none}. */
    Path root() { return root; }

    /**
     * A run's log in {@code sub} (a relative folder, "" for train's single run), or null with
     * {@code tensorboard none}; {@code config} is logged as text.
     */
    TensorBoardRun open(String sub, Optimizer opt, Sequential model, String metric, Map<String, Object> config)
            throws IOException {
        if (root == null) return null;
        Path dir = sub.isEmpty() ? root : root.resolve(sub);
        TensorBoardRun run = new TensorBoardRun(dir, opt, model, metric, Json.MAPPER.writeValueAsString(config));
        list(run.file());
        return run;
    }

    /** A resumed run: the event files of its earlier sessions are the run's too. */
    void adoptEarlier() throws IOException {
        if (root == null || !Files.isDirectory(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(f -> f.getFileName().toString().startsWith(EventWriter.PREFIX)).toList()) list(p);
        }
    }

    private void list(Path file) {
        Path abs = file.toAbsolutePath().normalize(), dir = folder.dir.toAbsolutePath().normalize();
        if (abs.startsWith(dir)) folder.file(dir.relativize(abs).toString().replace('\\', '/'));
    }

    /** A folder name for a run label such as {@code adam:lr=1e-3,wd=1e-2}: {@code N_adam_lr=1e-3,wd=1e-2}. */
    static String runFolder(int index, String label) {
        return index + "_" + label.replaceAll("[^A-Za-z0-9._,=+-]", "_");
    }

    /** {@code listeners} in order, as one; nulls are left out. */
    static TrainListener all(TrainListener... listeners) {
        List<TrainListener> ls = Stream.of(listeners).filter(l -> l != null).toList();
        return new TrainListener() {
            @Override public void onStep(int e, int b, int n, long g, double l) {
                for (TrainListener x : ls) x.onStep(e, b, n, g, l);
            }

            @Override public void onEpoch(EpochRecord r, int epochs) {
                for (TrainListener x : ls) x.onEpoch(r, epochs);
            }

            @Override public void onCheckpoint(TrainState st) {
                for (TrainListener x : ls) x.onCheckpoint(st);
            }
        };
    }
}
