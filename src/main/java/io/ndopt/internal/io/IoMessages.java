package io.ndopt.internal.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Why a file could not be read, in words (no Java exception class names in a user's message). */
public final class IoMessages {
    private IoMessages() {}

    /** "no such file", "is a folder, not a file", "permission denied", else the system's reason. */
    public static String of(Path file, IOException e) {
        if (Files.isDirectory(file)) return "is a folder, not a file";
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The reason a path is not a readable regular file, or null when it is one. */
    public static String notAFile(Path file) {
        if (Files.isDirectory(file)) return "is a folder, not a file";
        if (!Files.exists(file)) return "no such file";
        if (!Files.isRegularFile(file)) return "is not a regular file";
        return null;
    }

    /** Why {@code Files.createDirectories} failed: a file in the way, permission, else the system's reason. */
    public static String cannotCreateFolder(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException f) return f.getFile() + " is a file, not a folder";
        if (e instanceof AccessDeniedException a) return "permission denied: " + a.getFile();
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
