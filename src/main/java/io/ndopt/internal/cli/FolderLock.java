package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OS lock ({@link FileChannel#tryLock}) on a lock file, held while a command writes its output, so two ndopt
 * runs never write one output at once: the second is refused with a {@link ConfigException} naming the output
 * (exit 2, like any refused {@code --out}). The OS frees the lock when the process ends, however it ends.
 *
 * <p>Two properties of POSIX locks shape this class: a lock belongs to the process, so a second run inside the
 * same JVM is refused by a table of the locks this JVM holds ({@link #HELD}) before it opens the file; and closing
 * <em>any</em> descriptor of the file drops the process's lock, so nothing here opens the lock file again and
 * closes it while the lock is held (the verification channel stays open until {@link #close}).
 *
 * <p>{@link #close} deletes the lock file while still holding the lock, so no junk is left behind. Because a
 * run may lock a lock file just as its holder deletes it, {@link #acquire} writes a fresh token into the file it
 * locked and reads it back through the path: a token that is not there means it locked a deleted file, and it
 * tries again. A lock file left by a killed run holds no lock and is simply taken over.
 */
final class FolderLock implements AutoCloseable {
    /** The lock files this JVM holds (real paths). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel, check;
    private final FileLock lock;

    private FolderLock(Path file, FileChannel channel, FileChannel check, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.check = check;
        this.lock = lock;
    }

    /**
     * Locks {@code file} (created if absent; its folder must exist).
     *
     * @param what the output as the user named it, e.g. {@code "--out runs/a"}, for the refusal
     */
    static FolderLock acquire(Path file, String what) throws IOException {
        Path key = file.toAbsolutePath().getParent().toRealPath().resolve(file.getFileName());
        if (!HELD.add(key)) throw inUse(what, file);
        try {
            for (int attempt = 0; attempt < 100; attempt++) {
                FolderLock l = tryOnce(key, what, file);
                if (l != null) return l;
            }
            throw new IOException("could not lock " + file + " (it keeps being replaced)");
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
    }

    /** One attempt: the lock, or null when the file locked was deleted meanwhile (try again). */
    private static FolderLock tryOnce(Path key, String what, Path file) throws IOException {
        FileChannel ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;                                        // locked in this JVM outside this class
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close();
            throw inUse(what, file);
        }
        byte[] token = ("ndopt lock " + ProcessHandle.current().pid() + " " + UUID.randomUUID() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        FileChannel check = null;
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(token), 0);
            check = FileChannel.open(key, StandardOpenOption.READ);
            ByteBuffer b = ByteBuffer.allocate(token.length + 1);
            while (b.hasRemaining() && check.read(b) >= 0) { /* read up to one byte more than the token */ }
            if (b.position() == token.length && Arrays.equals(Arrays.copyOf(b.array(), token.length), token)) {
                return new FolderLock(key, ch, check, l);
            }
        } catch (NoSuchFileException e) {
            // deleted by its holder: try again
        } catch (IOException | RuntimeException e) {
            if (check != null) check.close();
            ch.close();
            throw e;
        }
        if (check != null) check.close();
        ch.close();                                          // also releases the lock on the deleted file
        return null;
    }

    private static ConfigException inUse(String what, Path file) {
        return new ConfigException(what + " is in use by another ndopt run (it holds the lock " + file
                + "); wait for it to finish or choose another output");
    }

    /** Deletes the lock file, then releases the lock. */
    @Override public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a lock file that cannot be deleted is harmless: the next run takes it over
        } finally {
            try {
                lock.release();
            } finally {
                try {
                    check.close();
                    channel.close();
                } finally {
                    HELD.remove(file);
                }
            }
        }
    }
}
