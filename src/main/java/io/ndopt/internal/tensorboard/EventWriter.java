package io.ndopt.internal.tensorboard;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes one TensorBoard event file ({@code events.out.tfevents.TIME.HOST.PID.N}, a new name every time, created,
 * never overwritten): TFRecord-framed {@code Event} messages, the first one the file version, then scalars,
 * histograms and text. {@link #flush} makes what was written visible to a TensorBoard watching the folder; the
 * file is an append-only log, so a crash leaves a readable prefix (TensorBoard stops at a truncated record).
 */
public final class EventWriter implements Closeable {
    /** Every event file's name starts so (TensorBoard looks for "tfevents" in the name). */
    public static final String PREFIX = "events.out.tfevents.";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final Path file;
    private final OutputStream out;

    private EventWriter(Path file) throws IOException {
        this.file = file;
        this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));
        write(event(0).setField(field(Schema.EVENT, "file_version"), "brain.Event:2").build());
    }

    /** A new event file in {@code dir} (created with its parents). */
    public static EventWriter create(Path dir) throws IOException {
        Files.createDirectories(dir);
        long now = System.currentTimeMillis() / 1000;
        String name = PREFIX + now + "." + host() + "." + ProcessHandle.current().pid() + "." + COUNTER.incrementAndGet()
                + ".ndopt";
        return new EventWriter(dir.resolve(name));
    }

    public Path file() { return file; }

    /** A scalar (TensorBoard's Scalars tab). It is stored as a float32, as TensorBoard stores every scalar. */
    public void scalar(String tag, long step, double value) throws IOException {
        summary(step, value(tag).setField(field(Schema.VALUE, "simple_value"), (float) value));
    }

    /**
     * A histogram of the finite entries of {@code values} in {@code buckets} equal-width buckets between their
     * minimum and maximum (TensorBoard's Histograms and Distributions tabs); nothing if none is finite.
     */
    public void histogram(String tag, long step, double[] values, int buckets) throws IOException {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, sum = 0, sumSq = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            sum += v;
            sumSq += v * v;
            n++;
        }
        if (n == 0) return;
        double[] counts = new double[buckets];
        double width = (hi - lo) / buckets;
        for (double v : values) {
            if (Double.isFinite(v)) counts[width == 0 ? 0 : Math.min(buckets - 1, (int) ((v - lo) / width))]++;
        }
        DynamicMessage.Builder h = DynamicMessage.newBuilder(Schema.HISTOGRAM)
                .setField(field(Schema.HISTOGRAM, "min"), lo).setField(field(Schema.HISTOGRAM, "max"), hi)
                .setField(field(Schema.HISTOGRAM, "num"), (double) n).setField(field(Schema.HISTOGRAM, "sum"), sum)
                .setField(field(Schema.HISTOGRAM, "sum_squares"), sumSq);
        for (int b = 0; b < buckets; b++) {
            h.addRepeatedField(field(Schema.HISTOGRAM, "bucket_limit"), b == buckets - 1 ? hi : lo + (b + 1) * width);
            h.addRepeatedField(field(Schema.HISTOGRAM, "bucket"), counts[b]);
        }
        summary(step, value(tag).setField(field(Schema.VALUE, "histo"), h.build()));
    }

    /** Text (TensorBoard's Text tab renders it as Markdown): a string tensor for the "text" plugin. */
    public void text(String tag, long step, String markdown) throws IOException {
        DynamicMessage tensor = DynamicMessage.newBuilder(Schema.TENSOR)
                .setField(field(Schema.TENSOR, "dtype"), Schema.DT_STRING)
                .setField(field(Schema.TENSOR, "tensor_shape"), DynamicMessage.getDefaultInstance(Schema.SHAPE))
                .addRepeatedField(field(Schema.TENSOR, "string_val"),
                        ByteString.copyFrom(markdown, StandardCharsets.UTF_8))
                .build();
        DynamicMessage plugin = DynamicMessage.newBuilder(Schema.PLUGIN_DATA)
                .setField(field(Schema.PLUGIN_DATA, "plugin_name"), "text").build();
        DynamicMessage meta = DynamicMessage.newBuilder(Schema.METADATA)
                .setField(field(Schema.METADATA, "plugin_data"), plugin).build();
        summary(step, value(tag).setField(field(Schema.VALUE, "tensor"), tensor)
                .setField(field(Schema.VALUE, "metadata"), meta));
    }

    public void flush() throws IOException { out.flush(); }

    @Override public void close() throws IOException { out.close(); }

    private void summary(long step, DynamicMessage.Builder value) throws IOException {
        DynamicMessage summary = DynamicMessage.newBuilder(Schema.SUMMARY)
                .addRepeatedField(field(Schema.SUMMARY, "value"), value.build()).build();
        write(event(step).setField(field(Schema.EVENT, "summary"), summary).build());
    }

    private static DynamicMessage.Builder value(String tag) {
        return DynamicMessage.newBuilder(Schema.VALUE).setField(field(Schema.VALUE, "tag"), tag);
    }

    private static DynamicMessage.Builder event(long step) {
        return DynamicMessage.newBuilder(Schema.EVENT)
                .setField(field(Schema.EVENT, "wall_time"), System.currentTimeMillis() / 1000.0)
                .setField(field(Schema.EVENT, "step"), step);
    }

    static com.google.protobuf.Descriptors.FieldDescriptor field(com.google.protobuf.Descriptors.Descriptor d,
            String name) {
        return d.findFieldByName(name);
    }

    private void write(Message m) throws IOException { TfRecord.write(out, m.toByteArray()); }

    /** The host part of the name (as TensorFlow's); from the environment, no name lookup that could hang. */
    private static String host() {
        String h = System.getenv("HOSTNAME");
        return h == null || h.isBlank() ? "localhost" : h.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
