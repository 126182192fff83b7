package io.ndopt.data;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A table split into shards: a folder (its files with a data extension) or a glob in the last path element
 * ({@code data/part-*.parquet}), in name order, read one after the other as one table. Every shard must
 * have the first one's columns, in the same order; shards may mix formats. Rows are numbered over the whole
 * set in messages that the shard's own reader does not already place by file and line.
 */
final class ShardSource implements TableSource {
    private static final List<String> EXTENSIONS = List.of(".csv", ".npy", ".npz", ".parquet", ".pq");

    private final String name;
    private final List<Path> shards;
    private final List<String> columns;
    private final long maxRows;

    private ShardSource(String name, List<Path> shards) {
        this.name = name;
        this.shards = shards;
        TableSource first = DataFiles.open(shards.get(0), 1);
        first.close();
        columns = first.columns();
        long rows = first.maxRows();
        for (Path s : shards.subList(1, shards.size())) {
            TableSource t = DataFiles.open(s, 1);
            t.close();
            if (!t.columns().equals(columns)) {
                throw new DataFormatException(s.toString(), 0, null, "columns " + abbreviate(t.columns())
                        + " differ from the first shard's " + abbreviate(columns) + " (" + shards.get(0) + ")");
            }
            rows += t.maxRows();
        }
        maxRows = rows;
    }

    /** True if {@code p} names a folder, or holds a glob in its last element and is not a file of that name. */
    static boolean isShardSet(Path p) {
        String last = p.getFileName() == null ? "" : p.getFileName().toString();
        return Files.isDirectory(p) || !Files.isRegularFile(p) && last.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
    }

    static ShardSource of(Path p) {
        Path dir = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
        PathMatcher glob = Files.isDirectory(p) ? null
                : FileSystems.getDefault().getPathMatcher("glob:" + p.getFileName());
        if (dir == null || !Files.isDirectory(dir)) {
            throw new DataFormatException(p.toString(), 0, null, "no such folder: " + dir);
        }
        List<Path> shards = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> glob != null ? glob.matches(f.getFileName())
                            : EXTENSIONS.stream().anyMatch(e -> f.getFileName().toString().toLowerCase().endsWith(e)))
                    .sorted()
                    .forEach(shards::add);
        } catch (IOException e) {
            throw new DataFormatException(p.toString(), 0, null, "cannot list: " + e);
        }
        if (shards.isEmpty()) {
            throw new DataFormatException(p.toString(), 0, null, glob != null ? "no file matches the pattern"
                    : "the folder holds no data file (" + String.join(", ", EXTENSIONS) + ")");
        }
        return new ShardSource(p.toString(), List.copyOf(shards));
    }

    List<Path> shards() { return shards; }

    @Override public String file() { return name; }
    @Override public List<String> columns() { return columns; }
    @Override public long maxRows() { return Math.max(1, maxRows); }

    /** Each shard in turn, in one thread; blocks reach the sink numbered by position (no line numbers). */
    @Override public void read(Sink sink) {
        for (Path s : shards) {
            TableSource t = DataFiles.open(s, 1);
            t.read((v, count, lines) -> sink.rows(v, count, null));
        }
    }

    private static String abbreviate(List<String> cols) {
        return cols.size() <= 8 ? cols.toString() : cols.subList(0, 8) + "... (" + cols.size() + ")";
    }
}
