package io.ndopt.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic writes: new files get the umask's permissions, replaced files keep theirs, a failed write keeps the old file.
 */
class AtomicFilesTest {
    @TempDir Path dir;

    @Test
    void newFilesFollowTheUmaskLikeAnyOtherFile() throws Exception {
        Path probe = Files.createFile(dir.resolve("probe"));
        AtomicFiles.write(dir.resolve("a.json"), new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(dir.resolve("a.json")));
    }

    @Test
    void replacedFilesKeepTheirPermissions() throws Exception {
        Path f = Files.writeString(dir.resolve("b.json"), "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.write(f, "new".getBytes());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("new", Files.readString(f));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws Exception {
        Path f = Files.writeString(dir.resolve("c.json"), "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            ch.write(ByteBuffer.wrap("half".getBytes()));
            throw new IOException("No space left on device");
        }));
        assertEquals(true, e.getMessage().contains(f.toString()), e.getMessage());
        assertArrayEquals("old".getBytes(), Files.readAllBytes(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary left behind");
        }
    }
}
