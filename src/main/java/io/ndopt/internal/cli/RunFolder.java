package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.io.AtomicFiles;
import io.ndopt.internal.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
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
 * The output folder of train, compare, sweep and demo, kept consistent:
 * <ol>
 *   <li>{@link #prepare} checks it before any work: not a file, creatable, writable, and free of
 *       another run's files (an {@code --out} folder that holds anything is refused unless
 *       {@code --overwrite}, which first deletes the previous run's files and says so; resuming a
 *       checkpoint that lies inside the folder continues that run and needs no flag);</li>
 *   <li>{@link #begin} writes the marker {@code INCOMPLETE} before the first file of the run;</li>
 *   <li>every file is written atomically ({@link AtomicFiles});</li>
 *   <li>{@link #finish} writes {@code run.json} (every file of the run with size and SHA-256) and
 *       only then deletes the marker.</li>
 * </ol>
 * So at every instant the folder either has no marker and matches its manifest, or has the
 * marker, which says that its files may come from different steps of an unfinished run.
 */
final class RunFolder {
    static final String MARKER = "INCOMPLETE";
    static final String MANIFEST = "run.json";
    /** Names ndopt writes; with --overwrite these go even without a manifest (folders of older versions). */
    private static final Set<String> OWN = Set.of(MARKER, MANIFEST, "metrics.json", "params", "checkpoint", "loss.png",
            "weights_hist.png",
            "compare.json", "compare.png", "sweep.json", "validation_curve.png", "result.json", "pruned");

    final Path dir;
    private final String command;
    private final Set<String> files = new LinkedHashSet<>();

    private RunFolder(Path dir, String command) {
        this.dir = dir;
        this.command = command;
    }

    /**
     * Validates {@code dir} for a new run of {@code command}.
     *
     * @param resumeFile the checkpoint a train run resumes, or null; inside {@code dir} it means "continue this run"
     */
    static RunFolder prepare(Path dir, String command, boolean overwrite, Path resumeFile,
            PrintStream log) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("--out " + dir + " is a file, not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("--out " + dir + ": cannot create the folder (" + e + ")");
        }
        try {
            Files.delete(Files.createTempFile(dir, ".ndopt-probe", ".tmp"));
        } catch (IOException e) {
            throw new ConfigException("--out " + dir + " is not writable (" + e.getMessage() + ")");
        }
        List<Path> present;
        try (Stream<Path> s = Files.list(dir)) {
            present = s.filter(p -> !p.getFileName().toString().startsWith(".ndopt-probe")).sorted().toList();
        }
        boolean sameRun = resumeFile != null && resumeFile.toAbsolutePath().normalize()
                .startsWith(dir.toAbsolutePath().normalize());
        if (!present.isEmpty() && !sameRun) {
            if (!overwrite) {
                throw new ConfigException("--out " + dir + " already holds files (" + names(present)
                        + "); pass --overwrite to delete the previous"
                        + " run's files first, or choose an empty folder");
            }
            clear(dir, present, log);
        }
        return new RunFolder(dir, command);
    }

    /**
     * Deletes the previous run's files: those its manifest lists and ndopt's own names; anything else stays,
     * and is reported.
     */
    private static void clear(Path dir, List<Path> present, PrintStream log) throws IOException {
        Set<String> owned = new LinkedHashSet<>(OWN);
        Path manifest = dir.resolve(MANIFEST);
        if (Files.isRegularFile(manifest)) {
            try {
                for (var f : Json.MAPPER.readTree(manifest.toFile()).path("files")) {
                    owned.add(f.path("path").asText().split("/")[0]);
                }
            } catch (IOException e) {
                // an unreadable manifest: the fixed names still apply
            }
        }
        List<Path> removed = new ArrayList<>(), kept = new ArrayList<>();
        for (Path p : present) (owned.contains(p.getFileName().toString()) ? removed : kept).add(p);
        for (Path p : removed) deleteTree(p);
        log.println("--overwrite: deleted " + names(removed) + " of the previous run in " + dir
                + (kept.isEmpty() ? "" : "; left other files in place: " + names(kept)));
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.toList()) deleteTree(c);
            }
        }
        Files.deleteIfExists(p);
    }

    private static String names(List<Path> ps) {
        List<String> n = ps.stream().map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).toList();
        return n.size() <= 8 ? String.join(", ", n)
                : String.join(", ", n.subList(0, 8)) + " and " + (n.size() - 8) + " more";
    }

    /** Marks the folder incomplete; call before the run writes its first file. */
    void begin() throws IOException {
        AtomicFiles.write(dir.resolve(MARKER), ("ndopt " + command + " started writing this folder at " + Instant.now()
                + ".\nWhile this file exists the run is unfinished (or was interrupted): files here may come from "
                        + "different steps.\n").getBytes());
    }

    /** A path of the run's output; it will be listed in the manifest. */
    Path file(String relative) {
        files.add(relative);
        return dir.resolve(relative);
    }

    /** Lists every file now in the folder as the run's (for writers that choose their own names, as the demos). */
    void adoptAll() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(f -> !f.equals(MARKER) && !f.equals(MANIFEST) && !f.startsWith(".")).sorted()
                            .forEach(files::add);
        }
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
        Json.write(dir.resolve(MANIFEST), m);
        Files.deleteIfExists(dir.resolve(MARKER));
        AtomicFiles.fsyncDir(dir);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
