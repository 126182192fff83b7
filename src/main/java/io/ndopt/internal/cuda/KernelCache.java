package io.ndopt.internal.cuda;

import io.ndopt.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Compiled kernel images on disk, as CuPy keeps them: the file name is the SHA-256 of everything
 * that determines the image — source text, compiler options, target architecture and compiler
 * version — so a changed input is a different file and stale images are never used. Files are
 * written atomically; a folder that cannot be written only costs a recompile.
 */
public final class KernelCache {
    private final Path dir;

    public KernelCache(Path dir) { this.dir = Objects.requireNonNull(dir, "cache dir"); }

    /** {@code -Dndopt.kernel.cache=DIR}, else {@code ~/.cache/ndopt/kernels}. */
    public static Path defaultDir() {
        String prop = System.getProperty("ndopt.kernel.cache");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        return Path.of(System.getProperty("user.home"), ".cache", "ndopt", "kernels");
    }

    public Path dir() { return dir; }

    /** The cache key: hex SHA-256 over the length-prefixed parts. */
    public static String key(String source, List<String> options, String arch, String compilerVersion) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(source, String.join("\u0000", options), arch, compilerVersion)) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                sha.update(Long.toString(b.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ':');
                sha.update(b);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    public Path file(String key) {
        if (!key.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a kernel cache key: '" + key + "'");
        return dir.resolve(key + ".bin");
    }

    public Optional<byte[]> get(String key) {
        Path f = file(key);
        try {
            return Files.isRegularFile(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void put(String key, byte[] image) {
        try {
            AtomicFiles.write(file(key), image);
        } catch (IOException e) {
            throw new UncheckedIOException("writing kernel cache " + file(key), e);
        }
    }

    /** The cached image for {@code key}, or {@code compile}'s result, stored for next time (best effort). */
    public byte[] getOrCompile(String key, Supplier<byte[]> compile) {
        Optional<byte[]> hit = get(key);
        if (hit.isPresent()) return hit.get();
        byte[] image = compile.get();
        try {
            put(key, image);
        } catch (UncheckedIOException e) {
            LoggerFactory.getLogger(KernelCache.class)
                    .warn("ndopt: kernel cache not written ({}); compiling each run", e.getMessage());
        }
        return image;
    }
}
