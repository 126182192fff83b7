package io.ndopt.backend;

import org.nd4j.linalg.api.buffer.DataType;

/** The floating-point types ndopt trains in, by their user-facing names. */
public enum Precision {
    FLOAT32(DataType.FLOAT), FLOAT64(DataType.DOUBLE);

    private final DataType dtype;

    Precision(DataType dtype) { this.dtype = dtype; }

    public DataType dtype() { return dtype; }

    public String label() { return name().toLowerCase(); }

    /** Parses {@code float32|float64} (also {@code float|double}); the error lists the choices. */
    public static Precision parse(String s) {
        return switch (s.trim().toLowerCase()) {
            case "float32", "float", "f32" -> FLOAT32;
            case "float64", "double", "f64" -> FLOAT64;
            default -> throw new IllegalArgumentException("unknown dtype '" + s + "' (valid: float32, float64)");
        };
    }
}
