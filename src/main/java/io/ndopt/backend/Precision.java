package io.ndopt.backend;

import io.ndopt.internal.validate.EnumNames;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;

/** The floating-point types ndopt trains in, by their user-facing names. */
public enum Precision {
    FLOAT32(DataType.FLOAT), FLOAT64(DataType.DOUBLE);

    private final DataType dtype;

    Precision(DataType dtype) { this.dtype = dtype; }

    public DataType dtype() { return dtype; }

    public String label() { return name().toLowerCase(Locale.ROOT); }

    /** Parses {@code float32|float64} (also {@code float|double}); the error lists the choices. */
    public static Precision parse(String s) {
        return EnumNames.parse("dtype", s, values(), t -> t.trim().toLowerCase(Locale.ROOT), p -> switch (p) {
            case FLOAT32 -> List.of("float32", "float", "f32");
            case FLOAT64 -> List.of("float64", "double", "f64");
        });
    }
}
