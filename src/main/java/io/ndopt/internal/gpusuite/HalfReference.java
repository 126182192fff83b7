package io.ndopt.internal.gpusuite;

/**
 * The 16-bit formats of mixed precision, by definition: every finite non-negative value of the format decoded into
 * a table, and a float rounded to the nearest table entry (ties to the even encoding; at or beyond the midpoint
 * between the largest finite value and the next power of the format's spacing, infinity). Independent of the bit
 * tricks of the kernels ({@code mixed.cu}), which the GPU suite checks against it.
 */
public final class HalfReference {
    /** Values of the encodings 0 .. 0x7c00 (float16; the last entry, infinity, as 65536 for rounding). */
    private static final double[] F16 = new double[0x7c01];
    /** Values of the encodings 0 .. 0x7f80 (bfloat16; the last, infinity, as 2^128 for rounding). */
    private static final double[] BF16 = new double[0x7f81];

    static {
        for (int b = 0; b < 0x7c00; b++) {
            int e = b >> 10, m = b & 0x3ff;
            F16[b] = e == 0 ? m * 0x1p-24 : (1024 + m) * Math.scalb(1.0, e - 25);
        }
        F16[0x7c00] = 65536.0;
        for (int b = 0; b < 0x7f80; b++) BF16[b] = Float.intBitsToFloat(b << 16);
        BF16[0x7f80] = 0x1p128;
    }

    private HalfReference() {}

    /** {@code x} rounded to float16, as its 16 bits. */
    public static int f16(float x) { return round(x, F16, 0x7e00); }

    /** {@code x} rounded to bfloat16, as its 16 bits. */
    public static int bf16(float x) { return round(x, BF16, 0x7fc0); }

    /** The value of float16 bits. */
    public static float fromF16(int bits) {
        float v = (bits & 0x7fff) >= 0x7c00 ? ((bits & 0x3ff) == 0 ? Float.POSITIVE_INFINITY : Float.NaN)
                : (float) F16[bits & 0x7fff];
        return (bits & 0x8000) != 0 ? -v : v;
    }

    /** The value of bfloat16 bits. */
    public static float fromBf16(int bits) { return Float.intBitsToFloat((bits & 0xffff) << 16); }

    private static int round(float x, double[] table, int nan) {
        int sign = Float.floatToRawIntBits(x) < 0 ? 0x8000 : 0;
        if (Float.isNaN(x)) return sign | nan;
        double v = Math.abs((double) x);
        int inf = table.length - 1;
        if (v >= table[inf]) return sign | inf;
        int lo = 0, hi = inf;                               // table[lo] <= v < table[hi]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (table[mid] <= v) lo = mid;
            else hi = mid;
        }
        double below = v - table[lo], above = table[hi] - v;
        int pick = below < above ? lo : above < below ? hi : (lo % 2 == 0 ? lo : hi);
        return sign | pick;
    }
}
