package io.ndopt.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small version of {@code benchmarks/load/stream_memory.sh}: in a JVM with {@code -Xmx32m}, {@code train --stream}
 * trains on 4 float32 {@code .npy} shards of 32 MB (4× the heap, and 4× the native memory ND4J may allocate, which
 * defaults to the heap's size), where loading the same data in memory fails. (Peak RSS is checked by the script,
 * on data larger than the JVM's own footprint.)
 */
class StreamMemoryTest {
    private static final int SHARD_MB = 32;
    private static final int P = 31;

    @TempDir Path dir;

    @Test void shardsFourTimesTheHeapTrainStreamedAndNotInMemory() throws Exception {
        Path shards = Files.createDirectories(dir.resolve("shards"));
        int rows = (SHARD_MB << 20) / ((P + 1) * 4), n = 4 * rows;
        for (int s = 0; s < 4; s++) writeShard(shards.resolve("part-" + s + ".npy"), rows, s);
        long steps = (n - Math.round(n * 0.001) + 1023) / 1024;
        List<String> train = List.of("train", "--data", shards.resolve("part-*.npy").toString(), "--epochs", "1",
                "--batch-size", "1024", "--hidden", "8", "--val-split", "0.001", "--timing-warmup", "0",
                "--tensorboard", "none");
        Run streamed = cli(train, "--stream", "--shuffle-buffer", "16384", "--out", dir.resolve("s").toString());
        assertEquals(0, streamed.code, streamed.output);
        assertTrue(streamed.output.contains("done: " + steps + " steps"), streamed.output);
        assertTrue(Files.exists(dir.resolve("s/metrics.json")));
        Run inMemory = cli(train, "--out", dir.resolve("m").toString());
        assertNotEquals(0, inMemory.code, "the same data in memory does not fit:\n" + inMemory.output);
        assertTrue(inMemory.output.contains("OutOfMemoryError") || inMemory.output.contains("memory"), inMemory.output);
        assertTrue(!Files.exists(dir.resolve("m/metrics.json")));
    }

    record Run(int code, String output) {}

    private static Run cli(List<String> args, String... more) throws IOException, InterruptedException {
        return cli("-Xmx32m", args, more);
    }

    /** The CLI in a fresh JVM with the heap option {@code xmx}: its exit code and output. */
    static Run cli(String xmx, List<String> args, String... more) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                xmx, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    /** A float32 .npy of {@code rows} × (P features + target), written in blocks (no array of the whole shard). */
    static void writeShard(Path f, int rows, long seed) throws IOException {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", "
                + (P + 1) + "), }");
        while ((10 + dict.length() + 1) % 64 != 0) dict.append(' ');
        dict.append('\n');
        SplittableRandom r = new SplittableRandom(seed);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(10 + dict.length()).order(ByteOrder.LITTLE_ENDIAN);
            head.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) dict.length())
                    .put(dict.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)).flip();
            ch.write(head);
            ByteBuffer block = ByteBuffer.allocate(4096 * (P + 1) * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int done = 0; done < rows; ) {
                block.clear();
                int n = Math.min(4096, rows - done);
                for (int i = 0; i < n; i++) {
                    float y = 0;
                    for (int c = 0; c < P; c++) {
                        float x = (float) r.nextGaussian();
                        if (c < 4) y += x;
                        block.putFloat(x);
                    }
                    block.putFloat(y);
                }
                block.flip();
                while (block.hasRemaining()) ch.write(block);
                done += n;
            }
        }
    }
}
