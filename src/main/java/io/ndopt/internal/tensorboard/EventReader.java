package io.ndopt.internal.tensorboard;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads event files back (what {@link EventWriter} writes, and the same subset of anyone's): every record's
 * CRCs are checked, and each summary value comes back as an {@link Entry}. For tests and for checking a run's
 * files without TensorBoard.
 */
public final class EventReader {
    private EventReader() {}

    /** One summary value: a scalar ({@code value}), a histogram ({@code histogramCounts}) or text. */
    public record Entry(String file, long step, double wallTime, String tag, Kind kind, double value,
                        double[] histogramCounts, String text) {}

    public enum Kind { FILE_VERSION, SCALAR, HISTOGRAM, TEXT }

    /** Every entry of every event file under {@code dir} (sorted by file name), or of {@code dir} if it is a file. */
    public static List<Entry> readAll(Path dir) throws IOException {
        List<Path> files;
        if (Files.isRegularFile(dir)) {
            files = List.of(dir);
        } else {
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(p -> p.getFileName().toString().startsWith(EventWriter.PREFIX)).sorted().toList();
            }
        }
        List<Entry> out = new ArrayList<>();
        for (Path f : files) out.addAll(read(f));
        return out;
    }

    /** The entries of one event file, in order. */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (int i = 0;; i++) {
                byte[] data = TfRecord.read(in, file + " record " + i);
                if (data == null) return out;
                parse(file.toString(), data, out);
            }
        }
    }

    private static void parse(String file, byte[] data, List<Entry> out) throws InvalidProtocolBufferException {
        DynamicMessage e = DynamicMessage.parseFrom(Schema.EVENT, data);
        long step = (long) get(e, "step");
        double wall = (double) get(e, "wall_time");
        String version = (String) get(e, "file_version");
        if (!version.isEmpty()) {
            out.add(new Entry(file, step, wall, version, Kind.FILE_VERSION, Double.NaN, null, null));
        }
        DynamicMessage summary = (DynamicMessage) get(e, "summary");
        int n = summary.getRepeatedFieldCount(EventWriter.field(Schema.SUMMARY, "value"));
        for (int i = 0; i < n; i++) {
            DynamicMessage v = (DynamicMessage) summary.getRepeatedField(EventWriter.field(Schema.SUMMARY, "value"), i);
            String tag = (String) get(v, "tag");
            if (v.hasField(EventWriter.field(Schema.VALUE, "simple_value"))) {
                out.add(new Entry(file, step, wall, tag, Kind.SCALAR, (float) get(v, "simple_value"), null, null));
            } else if (v.hasField(EventWriter.field(Schema.VALUE, "histo"))) {
                DynamicMessage h = (DynamicMessage) get(v, "histo");
                var bucket = EventWriter.field(Schema.HISTOGRAM, "bucket");
                double[] counts = new double[h.getRepeatedFieldCount(bucket)];
                for (int b = 0; b < counts.length; b++) counts[b] = (double) h.getRepeatedField(bucket, b);
                out.add(new Entry(file, step, wall, tag, Kind.HISTOGRAM, Double.NaN, counts, null));
            } else if (v.hasField(EventWriter.field(Schema.VALUE, "tensor"))) {
                DynamicMessage t = (DynamicMessage) get(v, "tensor");
                var strings = EventWriter.field(Schema.TENSOR, "string_val");
                String text = t.getRepeatedFieldCount(strings) == 0 ? ""
                        : ((ByteString) t.getRepeatedField(strings, 0)).toString(StandardCharsets.UTF_8);
                out.add(new Entry(file, step, wall, tag, Kind.TEXT, Double.NaN, null, text));
            }
        }
    }

    private static Object get(DynamicMessage m, String field) {
        return m.getField(EventWriter.field(m.getDescriptorForType(), field));
    }
}
