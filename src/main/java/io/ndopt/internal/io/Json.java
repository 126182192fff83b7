package io.ndopt.internal.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The two JSON forms ndopt reads and writes, each configured once here.
 * <ul>
 *   <li>{@link #MAPPER}, the training results (metrics.json, compare.json, sweep.json, the fit
 *       harness's result.json, run.json): indented; record components in snake_case
 *       ({@code train_loss}, as the hand-written keys); NaN and ±Inf written as {@code null} (JSON
 *       has no such numbers, and a string "NaN" would change a column's type).</li>
 *   <li>{@link #PLAIN}, files that must give back exactly what was written or whose readers
 *       expect Jackson's own names: the checkpoint manifest (its history holds NaN losses, written
 *       as {@code "NaN"} and read back bit for bit), gpu-check.json, gpu-bench-ndopt.json,
 *       path.json and the demos' result.json: indented; record components under their Java names
 *       ({@code maxRel}); unknown properties ignored when reading.</li>
 * </ul>
 */
public final class Json {
    public static final ObjectMapper PLAIN = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new SimpleModule("ndopt-finite")
                    .addSerializer(Double.class, new Finite())
                    .addSerializer(double.class, new Finite())
                    .addSerializer(Float.class, new FiniteFloat())
                    .addSerializer(float.class, new FiniteFloat())
                    .addSerializer(double[].class, new FiniteArray()));

    private Json() {}

    /** Writes {@code value} as a result file ({@link #MAPPER}), atomically ({@link AtomicFiles}). */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.write(file, MAPPER.writeValueAsBytes(value));
    }

    /** Writes {@code value} in the {@link #PLAIN} form, atomically. */
    public static void writePlain(Path file, Object value) throws IOException {
        AtomicFiles.write(file, PLAIN.writeValueAsBytes(value));
    }

    private static final class Finite extends JsonSerializer<Double> {
        @Override public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (Double.isFinite(v)) g.writeNumber(v); else g.writeNull();
        }
    }

    private static final class FiniteFloat extends JsonSerializer<Float> {
        @Override public void serialize(Float v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (Float.isFinite(v)) g.writeNumber(v); else g.writeNull();
        }
    }

    private static final class FiniteArray extends JsonSerializer<double[]> {
        @Override public void serialize(double[] v, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartArray(v, v.length);
            for (double d : v) if (Double.isFinite(d)) g.writeNumber(d); else g.writeNull();
            g.writeEndArray();
        }
    }
}
