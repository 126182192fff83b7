package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.io.AtomicFiles;
import io.ndopt.internal.io.IoMessages;
import io.ndopt.internal.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The output folder of train, compare, sweep, path and demo, kept consistent:
 * <ol>
 *   <li>{@link #prepare} checks it before any work: not a file, creatable, writable, holding none of the
 *       command's inputs, not in use by another ndopt run (an OS lock on {@value #LOCK}, held until
 *       {@link #close}), and free of another run's files (an {@code --out} folder that holds anything is refused
 *       unless {@code --overwrite}, which first deletes the files of the previous run, see {@link PreviousRun};
 *       resuming a checkpoint that lies inside the folder continues that run and needs no flag);</li>
 *   <li>{@link #begin} writes the marker {@code INCOMPLETE} before the first file of the run;</li>
 *   <li>every file is written atomically ({@link AtomicFiles});</li>
 *   <li>{@link #finish} writes {@code run.json} (every file of the run with size and SHA-256, and the
 *       sub-folders the run created, which a later {@code --overwrite} removes once they are empty) and
 *       only then deletes the marker.</li>
 * </ol>
 * So at every instant the folder either has no marker and matches its manifest, or has the
 * marker, which says that its files may come from different steps of an unfinished run.
 */
final class RunFolder implements AutoCloseable {
    static final String MARKER = "INCOMPLETE";
    static final String MARKER_TEXT = "While this file exists the run is unfinished";
    static final String MANIFEST = "run.json";
    /** The lock file, present only while a run holds the folder; never listed, never counted as content. */
    static final String LOCK = ".ndopt.lock";
    private static final String PROBE = ".ndopt-probe";
    /** Names ndopt writes at the top of a run folder (and the demos' path_PENALTY.png). */
    private static final Set<String> OWN = Set.of(MARKER, MANIFEST, "metrics.json", "params", "checkpoint",
            "loss.png", "weights_hist.png", "compare.json", "compare.png", "sweep.json", "validation_curve.png",
            "pruned", "path.json", "coef_path.png", "r2.png", "cv.png", "result.json", "curves.png", "summary.png",
            "fit.png", "input_norms.png", "val_accuracy.png");

    final Path dir;
    private final String command;
    private final FolderLock lock;
    private final Set<String> files = new LinkedHashSet<>();
    /** Files in the folder before the run (a resumed run's, or those --overwrite left): never adopted. */
    private final Set<String> before = new LinkedHashSet<>();
    /** Sub-folders before the run: not the run's, unless it continues a run (whose folders they are). */
    private final Set<String> foldersBefore = new LinkedHashSet<>();
    private boolean resumed;

    private RunFolder(Path dir, String command, FolderLock lock) {
        this.dir = dir;
        this.command = command;
        this.lock = lock;
    }

    static RunFolder prepare(Path dir, String command, boolean overwrite, Path resumeFile,
            PrintStream log) throws IOException {
        return prepare(dir, command, overwrite, resumeFile, new Inputs(), log);
    }

    /**
     * Validates {@code dir} for a new run of {@code command} and locks it; close the result when the run ends.
     *
     * @param resumeFile the checkpoint a train run resumes, or null; inside {@code dir} it means "continue this run"
     * @param inputs the command's input files, none of which may lie inside {@code dir}
     */
    static RunFolder prepare(Path dir, String command, boolean overwrite, Path resumeFile, Inputs inputs,
            PrintStream log) throws IOException {
        String what = "--out " + dir;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException(what + " is a file, not a folder");
        }
        inputs.refuseInside("--out", dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException(what + ": cannot create the folder (" + IoMessages.cannotCreateFolder(e) + ")");
        }
        try {
            Files.delete(Files.createTempFile(dir, PROBE, ".tmp"));
        } catch (IOException e) {
            throw new ConfigException(what + " is not writable (" + e.getMessage() + ")");
        }
        FolderLock lock = FolderLock.acquire(dir.resolve(LOCK), what);
        try {
            Path real = dir.toRealPath();
            List<Path> present;
            try (Stream<Path> s = Files.list(real)) {
                present = s.filter(p -> !isOwnHidden(p.getFileName().toString())).sorted().toList();
            }
            boolean sameRun = resumeFile != null && resumeFile.toRealPath().startsWith(real);
            if (!present.isEmpty() && !sameRun) {
                if (!overwrite) {
                    throw new ConfigException(what + " already holds files (" + names(present)
                            + "); pass --overwrite to delete the previous"
                            + " run's files first, or choose an empty folder");
                }
                PreviousRun.inspect(real).clear(what, log);
            }
            RunFolder f = new RunFolder(dir, command, lock);
            f.before.addAll(f.regularFiles());
            f.foldersBefore.addAll(f.folders());
            f.resumed = sameRun;
            return f;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Whether ndopt writes a file or folder of this name at the top of a run folder. */
    static boolean isOwnName(String top) {
        return OWN.contains(top) || top.startsWith("path_") && top.endsWith(".png");
    }

    /** The lock file and the writability probe: ndopt's own, never part of a run's content. */
    static boolean isOwnHidden(String relative) {
        return relative.equals(LOCK) || relative.startsWith(PROBE);
    }

    private static String names(List<Path> ps) {
        List<String> n = ps.stream().map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).toList();
        return n.size() <= 8 ? String.join(", ", n)
                : String.join(", ", n.subList(0, 8)) + " and " + (n.size() - 8) + " more";
    }

    /** Releases the folder's lock (and removes the lock file). */
    @Override public void close() throws IOException {
        lock.close();
    }

    /** Marks the folder incomplete; call before the run writes its first file. */
    void begin() throws IOException {
        AtomicFiles.write(dir.resolve(MARKER), ("ndopt " + command + " started writing this folder at " + Instant.now()
                + ".\n" + MARKER_TEXT + " (or was interrupted): files here may come from "
                        + "different steps.\n").getBytes());
    }

    /** A path of the run's output; it will be listed in the manifest. */
    Path file(String relative) {
        files.add(relative);
        return dir.resolve(relative);
    }

    /** Lists every file now in the folder as the run's (for writers that choose their own names, as the demos). */
    void adoptAll() throws IOException {
        for (String f : regularFiles()) if (!before.contains(f)) files.add(f);
    }

    private List<String> regularFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> PreviousRun.relative(dir, p))
                    .filter(f -> !f.equals(MARKER) && !f.equals(MANIFEST) && !f.startsWith(".")).sorted().toList();
        }
    }

    /** Every sub-folder (relative, '/'-separated), hidden ones excepted; links are not followed. */
    private List<String> folders() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> PreviousRun.relative(dir, p)).filter(f -> !f.startsWith(".")).sorted().toList();
        }
    }

    /**
     * The sub-folders that are the run's: those it created, and for a continued run also the earlier sessions'
     * folders that hold its files; never one that was there before and holds none of them (a user's).
     */
    private List<String> ownFolders() throws IOException {
        List<String> own = new ArrayList<>();
        for (String d : folders()) {
            boolean holdsListed = files.stream().anyMatch(f -> f.startsWith(d + "/"));
            if (!foldersBefore.contains(d) || resumed && holdsListed) own.add(d);
        }
        return own;
    }

    /** Writes the manifest, then removes the marker. */
    void finish() throws IOException {
        List<Map<String, Object>> list = new ArrayList<>();
        for (String f : files) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) continue;
            byte[] b = Files.readAllBytes(p);
            list.add(Map.of("path", f, "bytes", b.length, "sha256", sha256(b)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "ndopt-run");
        m.put("version", 1);
        m.put("command", command);
        m.put("finished", Instant.now().toString());
        m.put("files", list);
        m.put("folders", ownFolders());
        Json.write(dir.resolve(MANIFEST), m);
        Files.deleteIfExists(dir.resolve(MARKER));
        AtomicFiles.fsyncDir(dir);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
