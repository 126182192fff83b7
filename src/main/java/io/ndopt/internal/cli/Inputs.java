package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's input files ({@code --data}, {@code --config}, {@code --resume}, {@code --spec}, ...), so that no
 * command writes over or deletes one of its own inputs. Paths are compared as the file system sees them (real
 * paths: symbolic links, {@code ./x} and {@code x}, {@code a/../x} are one file), both where an input's name
 * lies and what it points to.
 */
final class Inputs {
    private final Map<String, Path> files = new LinkedHashMap<>();

    /** Adds an input, e.g. {@code add("--data", path)}; null paths (not given) are skipped. */
    Inputs add(String flag, Path file) {
        if (file != null) files.put(flag, file);
        return this;
    }

    /** Refuses an output folder that is, or contains, one of the inputs. */
    void refuseInside(String outFlag, Path out) {
        Path realOut = real(out);
        if (realOut == null) return;                        // a new folder holds nothing yet
        for (var e : files.entrySet()) {
            for (Path p : locations(e.getValue())) {
                if (p.startsWith(realOut)) {
                    throw new ConfigException(outFlag + " " + out + " " + (p.equals(realOut) ? "is" : "contains")
                            + " the " + e.getKey() + " input " + e.getValue() + "; a run's folder holds only"
                            + " its outputs, so choose another " + outFlag);
                }
            }
        }
    }

    /** Refuses an output file that is one of the inputs. */
    void refuseSame(String outFlag, Path out) {
        if (!Files.exists(out)) return;
        for (var e : files.entrySet()) {
            try {
                if (Files.exists(e.getValue()) && Files.isSameFile(out, e.getValue())) {
                    throw new ConfigException(outFlag + " " + out + " is the " + e.getKey() + " input "
                            + e.getValue() + "; writing the result would replace it, so choose another " + outFlag);
                }
            } catch (IOException x) {
                // unreadable: the read of the input itself reports it
            }
        }
    }

    /** Where a path's name lies (its folder resolved) and what it points to; empty if it does not exist. */
    private static List<Path> locations(Path p) {
        List<Path> out = new ArrayList<>();
        Path target = real(p);
        if (target != null) out.add(target);
        Path abs = p.toAbsolutePath().normalize();
        Path parent = abs.getParent() == null ? null : real(abs.getParent());
        if (parent != null && abs.getFileName() != null) out.add(parent.resolve(abs.getFileName()));
        return out;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }
}
