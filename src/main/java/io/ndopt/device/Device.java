package io.ndopt.device;

import io.ndopt.internal.device.Gpu;

import java.util.Locale;

/**
 * Where an optimizer keeps its parameters and state and runs its update: the host ({@code cpu}) or
 * one NVIDIA GPU ({@code cuda:N}) driven by ndopt's own CUDA engine ({@link Gpu}).
 *
 * @param kind    CPU or CUDA
 * @param ordinal the CUDA device ordinal (0 for the CPU)
 */
public record Device(Kind kind, int ordinal) {
    public enum Kind { CPU, CUDA }

    public Device {
        if (kind == null) throw new IllegalArgumentException("device kind must not be null");
        if (ordinal < 0) throw new IllegalArgumentException("device ordinal must be >= 0, got " + ordinal);
        if (kind == Kind.CPU && ordinal != 0) {
            throw new IllegalArgumentException("the cpu device has no ordinal, got " + ordinal);
        }
    }

    public static Device cpu() { return new Device(Kind.CPU, 0); }
    public static Device cuda(int ordinal) { return new Device(Kind.CUDA, ordinal); }

    public boolean isCuda() { return kind == Kind.CUDA; }

    /** Parses {@code cpu}, {@code cuda} (= {@code cuda:0}) or {@code cuda:N}; the message names the bad text. */
    public static Device parse(String text) {
        if (text == null) throw new IllegalArgumentException("device must not be null (use cpu, cuda or cuda:N)");
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return cpu();
        if (s.equals("cuda")) return cuda(0);
        if (s.startsWith("cuda:")) {
            String n = s.substring(5);
            if (!n.isEmpty() && n.chars().allMatch(Character::isDigit) && n.length() <= 6) {
                return cuda(Integer.parseInt(n));
            }
        }
        throw new IllegalArgumentException("device '" + text + "' is not one of cpu, cuda, cuda:N (N = 0, 1, ...)");
    }

    @Override public String toString() { return kind == Kind.CPU ? "cpu" : "cuda:" + ordinal; }
}
