package io.ndopt.internal.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TFRecord framing with TensorFlow's masked CRC-32C, and event files that read back what was written. */
class TfRecordTest {
    @TempDir Path dir;

    @Test
    void maskedCrcOfTheStandardCheckString() {
        // CRC-32C("123456789") = 0xe3069283 (the standard check value); masked: rotr 15, + 0xa282ead8
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xc78ab0e5, TfRecord.maskedCrc(b, 0, b.length));
    }

    @Test
    void aRecordIsLengthCrcDataCrcAndReadsBack() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        TfRecord.write(out, data);
        byte[] rec = out.toByteArray();
        assertEquals(8 + 4 + 9 + 4, rec.length);
        assertEquals(9, rec[0]);
        for (int i = 1; i < 8; i++) assertEquals(0, rec[i], "length is a little-endian uint64");
        assertEquals(0xc78ab0e5, java.nio.ByteBuffer.wrap(rec, 21, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt());
        ByteArrayInputStream in = new ByteArrayInputStream(rec);
        assertArrayEquals(data, TfRecord.read(in, "r"));
        assertNull(TfRecord.read(in, "r"), "clean end");
        byte[] bad = rec.clone();
        bad[14] ^= 1;
        assertTrue(assertThrows(IOException.class, () -> TfRecord.read(new ByteArrayInputStream(bad), "r"))
                .getMessage().contains("data CRC mismatch"));
        byte[] badLength = rec.clone();
        badLength[9] ^= 1;
        assertTrue(assertThrows(IOException.class, () -> TfRecord.read(new ByteArrayInputStream(badLength), "r"))
                .getMessage().contains("length CRC mismatch"));
        assertThrows(EOFException.class,
                () -> TfRecord.read(new ByteArrayInputStream(Arrays.copyOf(rec, 20)), "r"));
    }

    @Test
    void eventsReadBackAsWritten() throws IOException {
        Path file;
        try (EventWriter w = EventWriter.create(dir.resolve("run"))) {
            file = w.file();
            w.scalar("a", 3, 0.0);                         // zero is written (oneof presence), not dropped
            w.scalar("a", 4, 0.1);
            w.histogram("h", 1, new double[] {0, 0, 1, 2, Double.NaN}, 2);
            w.text("config", 0, "hello ✓");
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."));
        List<EventReader.Entry> e = EventReader.readAll(dir);
        assertEquals(EventReader.Kind.FILE_VERSION, e.get(0).kind());
        assertEquals("brain.Event:2", e.get(0).tag());
        assertEquals(List.of(3L, 4L), e.subList(1, 3).stream().map(EventReader.Entry::step).toList());
        assertEquals(0.0, e.get(1).value(), 0.0);
        assertEquals((float) 0.1, e.get(2).value(), 0.0, "a float32, as TensorBoard keeps scalars");
        assertArrayEquals(new double[] {2, 2}, e.get(3).histogramCounts(), "[0, 1): 0, 0; [1, 2]: 1, 2; NaN left out");
        assertEquals("hello ✓", e.get(4).text());
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) - 3));
        assertThrows(EOFException.class, () -> EventReader.read(file), "a truncated last record is reported");
    }
}
