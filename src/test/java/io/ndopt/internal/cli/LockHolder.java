package io.ndopt.internal.cli;

import java.nio.file.Path;

/** A second process for {@link FolderLockTest}: locks a run folder as a run does, until its stdin closes. */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (FolderLock lock = FolderLock.acquire(Path.of(args[0]).resolve(RunFolder.LOCK), "--out " + args[0])) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the test closes our stdin
            }
        }
        System.out.println("released");
    }
}
