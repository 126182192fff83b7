package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sub-folders and --overwrite: run.json lists the folders a run created; the next --overwrite removes those that
 * are empty (their files deleted, or already gone), and no other folder — not a user's folder the run wrote into,
 * not a listed folder that holds a user's file, nothing outside the run folder.
 */
class OverwriteFoldersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] BLOBS = {"--dataset", "blobs", "--hidden", "4", "--epochs", "1", "--batch-size", "200"};
    @TempDir Path dir;

    private static String[] compare(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("compare", "--dataset", "blobs", "--hidden", "4", "--epochs", "1",
                "--timing-warmup", "0", "--run", "adam:lr=1e-2", "--run", "sgd:lr=0.1", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static List<String> folders(Path out) throws Exception {
        List<String> f = new ArrayList<>();
        for (JsonNode n : JSON.readTree(out.resolve("run.json").toFile()).get("folders")) f.add(n.asText());
        return f;
    }

    private static List<Path> emptyFolders(Path out) throws Exception {
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(p -> !p.equals(out) && Files.isDirectory(p)).filter(p -> {
                try (Stream<Path> c = Files.list(p)) {
                    return c.findAny().isEmpty();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @Test
    void theManifestListsTheFoldersTheRunCreated() throws Exception {
        Path out = dir.resolve("cmp");
        Cli.run(compare(out)).expect(0);
        assertEquals(List.of("tensorboard", "tensorboard/1_adam_lr=1e-2", "tensorboard/2_sgd_lr=0.1"), folders(out));
    }

    @Test
    void theRunsFoldersGoOnceEmptyEvenWhenTheirEventFilesWereDeletedByHand() throws Exception {
        Path out = dir.resolve("cmp");
        Cli.run(compare(out)).expect(0);
        try (Stream<Path> s = Files.walk(out.resolve("tensorboard"))) {          // a user cleans the old logs
            for (Path p : s.filter(Files::isRegularFile).toList()) Files.delete(p);
        }
        Cli.run(compare(out, "--overwrite", "--tensorboard", "none")).expect(0);
        assertFalse(Files.exists(out.resolve("tensorboard")), "the earlier run's emptied folders are gone");
        assertEquals(List.of(), emptyFolders(out));
    }

    @Test
    void aUsersFolderStaysEvenEmptyAndARunsFolderWithAUsersFileStays() throws Exception {
        Path out = dir.resolve("train");
        Files.createDirectories(out.resolve("tensorboard"));                    // the user's, before any run
        Cli.run(Cli.train(BLOBS, "--out", out.toString(), "--overwrite")).expect(0);
        assertFalse(folders(out).contains("tensorboard"), folders(out).toString());
        assertTrue(folders(out).contains("params"), folders(out).toString());
        Cli.run(Cli.train(BLOBS, "--out", out.toString(), "--overwrite", "--tensorboard", "none")).expect(0);
        assertTrue(Files.isDirectory(out.resolve("tensorboard")), "the user's folder, emptied of the run's file, stays");
        Path cmp = dir.resolve("cmp");
        Cli.run(compare(cmp)).expect(0);
        Files.writeString(cmp.resolve("tensorboard/1_adam_lr=1e-2/NOTES.txt"), "mine");
        Cli.run(compare(cmp, "--overwrite", "--tensorboard", "none")).expect(0);
        assertEquals("mine", Files.readString(cmp.resolve("tensorboard/1_adam_lr=1e-2/NOTES.txt")));
        assertFalse(Files.exists(cmp.resolve("tensorboard/2_sgd_lr=0.1")), "its emptied sibling goes");
    }

    @Test
    void aManifestsFoldersCannotReachOutsideTheRunFolder() throws Exception {
        Path out = dir.resolve("run");
        Cli.run(Cli.train(BLOBS, "--out", out.toString())).expect(0);
        Path sibling = Files.createDirectories(dir.resolve("sibling"));
        JsonNode m = JSON.readTree(out.resolve("run.json").toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) m.get("folders")).add("../sibling").add(sibling.toString())
                .add("params/../../sibling");
        JSON.writeValue(out.resolve("run.json").toFile(), m);
        Cli.run(Cli.train(BLOBS, "--out", out.toString(), "--overwrite")).expect(0);
        assertTrue(Files.isDirectory(sibling), "an empty folder outside stays");
    }
}
