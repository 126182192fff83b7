package io.ndopt.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What {@code --overwrite} may delete in an output folder: exactly the files that the manifest ({@code run.json},
 * format {@code ndopt-run}) of a previous finished run lists with a matching size and SHA-256, plus that manifest
 * itself and ndopt's {@code INCOMPLETE} marker (recognized by its text). Nothing else is ever deleted: not a
 * user's file in a sub-folder named like ndopt's ({@code params/}, {@code checkpoint/}), not a listed file whose
 * hash differs (it was changed or is not the run's), not a symbolic link, not a path outside the folder, nothing
 * in a folder without a valid manifest. Sub-folders go only when empty afterwards and the run's: those the
 * manifest lists as created by the run (a manifest without that list: those that held the deleted files), never a
 * user's folder or a link. So that the new run then writes over nothing it cannot vouch for, a
 * remaining file where ndopt writes its outputs (an ndopt name at the top of the folder) refuses the run before
 * anything is deleted.
 */
final class PreviousRun {
    private final Path dir;
    /** Relative paths ('/'-separated) that --overwrite deletes. */
    final Set<String> deletable = new LinkedHashSet<>();
    /** Regular files and links in the folder that stay (relative paths, sorted). */
    final Set<String> kept = new TreeSet<>();
    /** The sub-folders the manifest says the run created; null when it says nothing of them (older manifests). */
    private Set<String> runFolders;

    private PreviousRun(Path dir) {
        this.dir = dir;
    }

    /** Sorts every file below {@code dir} (lock and probe files excepted) into deletable and kept. */
    static PreviousRun inspect(Path dir) throws IOException {
        PreviousRun r = new PreviousRun(dir);
        Set<String> verified = r.verifiedByManifest();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                String rel = relative(dir, p);
                if (RunFolder.isOwnHidden(rel)) continue;
                if (verified.contains(rel) || rel.equals(RunFolder.MARKER) && isMarker(p)) r.deletable.add(rel);
                else r.kept.add(rel);
            }
        }
        return r;
    }

    /** The files of a valid manifest whose size and SHA-256 match, and the manifest itself; empty without one. */
    private Set<String> verifiedByManifest() {
        Set<String> ok = new LinkedHashSet<>();
        Path manifest = dir.resolve(RunFolder.MANIFEST);
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) return ok;
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(manifest.toFile());
        } catch (IOException e) {
            return ok;                                      // not ndopt's manifest: nothing is vouched for
        }
        if (m == null || !"ndopt-run".equals(m.path("format").asText()) || !m.path("files").isArray()) return ok;
        if (m.path("folders").isArray()) {
            runFolders = new LinkedHashSet<>();
            for (JsonNode f : m.path("folders")) {
                String rel = f.asText("");
                Path p = dir.resolve(rel).normalize();
                if (!rel.isEmpty() && p.startsWith(dir) && !p.equals(dir) && rel.equals(relative(dir, p))) {
                    runFolders.add(rel);
                }
            }
        }
        for (JsonNode f : m.path("files")) {
            String rel = f.path("path").asText("");
            Path p = dir.resolve(rel).normalize();
            if (rel.isEmpty() || !p.startsWith(dir) || p.equals(dir) || !rel.equals(relative(dir, p))) continue;
            try {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        || !p.getParent().toRealPath().equals(p.getParent())) {
                    continue;                               // a link, or a path through a linked folder
                }
                byte[] b = Files.readAllBytes(p);
                if (b.length == f.path("bytes").asLong(-1) && RunFolder.sha256(b).equals(f.path("sha256").asText())) {
                    ok.add(rel);
                }
            } catch (IOException e) {
                // unreadable: not verified, so kept
            }
        }
        ok.add(RunFolder.MANIFEST);
        return ok;
    }

    private static boolean isMarker(Path p) {
        try {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) > 4096) return false;
            String t = Files.readString(p, StandardCharsets.UTF_8);
            return t.startsWith("ndopt ") && t.contains(RunFolder.MARKER_TEXT);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Refuses when a kept file sits where this run writes (an ndopt name at the top of the folder), then deletes
     * the deletable files, and the sub-folders they leave empty, and says what it did.
     */
    void clear(String what, PrintStream log) throws IOException {
        List<String> blocking = new ArrayList<>(kept.stream().filter(f -> RunFolder.isOwnName(f.split("/")[0])).toList());
        try (Stream<Path> top = Files.list(dir)) {           // a folder named like a file this run writes (run.json/)
            top.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).map(p -> p.getFileName().toString())
                    .filter(n -> RunFolder.isOwnName(n) && (n.contains(".") || n.equals(RunFolder.MARKER)))
                    .sorted().forEach(n -> blocking.add(n + "/"));
        }
        if (!blocking.isEmpty()) {
            throw new ConfigException(what + ": --overwrite deletes only the files a previous run's " + RunFolder.MANIFEST
                    + " lists with matching SHA-256, and this run would write over " + list(blocking)
                    + ", which " + (blocking.size() == 1 ? "is" : "are") + " not such a file"
                    + (Files.exists(dir.resolve(RunFolder.MARKER)) ? " (an interrupted run's? continue it with"
                            + " --resume, or move the files away yourself)"
                            : "; move " + (blocking.size() == 1 ? "it" : "them") + " away or choose another folder"));
        }
        Set<Path> parents = new LinkedHashSet<>();
        for (String f : deletable) {
            Path p = dir.resolve(f);
            Files.deleteIfExists(p);
            for (Path q = p.getParent(); !q.equals(dir); q = q.getParent()) parents.add(q);
        }
        if (runFolders != null) {                         // the run's own folders only, emptied or left empty
            parents.clear();
            for (String f : runFolders) parents.add(dir.resolve(f));
        }
        List<Path> deepestFirst = new ArrayList<>(parents);
        deepestFirst.sort((a, b) -> b.getNameCount() - a.getNameCount());
        for (Path q : deepestFirst) {
            try {
                if (Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS) && q.getParent().toRealPath().equals(q.getParent())) {
                    Files.deleteIfExists(q);
                }
            } catch (DirectoryNotEmptyException e) {
                // holds other files: stays
            }
        }
        List<String> deleted = deletable.stream().filter(f -> !f.equals(RunFolder.MARKER)
                && !f.equals(RunFolder.MANIFEST)).toList();
        StringBuilder msg = new StringBuilder("--overwrite: ");
        msg.append(deleted.isEmpty() ? "no file of a previous run to delete in " + dir
                : "deleted " + deleted.size() + " file" + (deleted.size() == 1 ? "" : "s") + " of the previous run in "
                        + dir + " (" + list(deleted) + ")");
        if (!kept.isEmpty()) {
            msg.append("; left in place ").append(kept.size()).append(kept.size() == 1 ? " file" : " files")
                    .append(" that no previous run's manifest vouches for: ").append(list(List.copyOf(kept)));
        }
        log.println(msg);
    }

    static String relative(Path dir, Path p) {
        return dir.relativize(p).toString().replace('\\', '/');
    }

    private static String list(List<String> n) {
        return n.size() <= 8 ? String.join(", ", n)
                : String.join(", ", n.subList(0, 8)) + " and " + (n.size() - 8) + " more";
    }
}
