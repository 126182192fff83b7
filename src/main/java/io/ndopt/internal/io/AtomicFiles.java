package io.ndopt.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a crash never leaves a half-written one: the bytes go to a temporary file
 * in the same folder, are flushed and fsync'ed, and the file is then renamed over the target in
 * one atomic step (the folder is fsync'ed too, so the rename itself survives a power cut). A failed
 * write (disk full) leaves the previous file untouched and names the target in its message.
 *
 * <p>Permissions: a new file gets the process's default (the umask applies, as for any file the
 * user creates); a file that is replaced keeps its permissions.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public interface Writer { void write(FileChannel ch) throws IOException; }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, ch -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
        });
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.isDirectory(target)) throw new IOException(target + " is a folder, cannot write a file there");
        Path tmp = createTemp(dir, "." + target.getFileName() + ".");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.write(ch);
                ch.force(true);
            }
            keepPermissions(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDir(dir);
        } catch (IOException e) {
            throw new IOException("writing " + target + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A new empty file {@code prefix<random>.tmp} with default permissions (Files.createTempFile would force 0600). */
    private static Path createTemp(Path dir, String prefix) throws IOException {
        for (int i = 0; ; i++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (i > 100) throw e;
            }
        }
    }

    private static void keepPermissions(Path target, Path tmp) {
        try {
            PosixFileAttributeView old = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (old != null && Files.exists(target)) {
                Files.setPosixFilePermissions(tmp, old.readAttributes().permissions());
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not POSIX or not readable: the default permissions stand
        }
    }

    /** Makes renames and deletions in {@code dir} durable. */
    public static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some filesystems do not allow opening a directory; the rename is still atomic
        }
    }
}
