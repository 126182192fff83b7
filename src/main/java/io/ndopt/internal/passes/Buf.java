package io.ndopt.internal.passes;

import io.ndopt.backend.Blas;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The memory of a c-contiguous float or double ND4J array as a flat vector that the fused passes
 * ({@link FusedPasses}) read and write as doubles, plus its native pointer for {@link Blas#gemm}.
 *
 * <p>One source per pass serves both dtypes: a float is widened on read and rounded once on
 * write. For + − × ÷ that equals float arithmetic (doubles carry more than 2·24+2 bits), so the
 * products and sums of the float path round exactly like ND4J's float ops.
 */
public abstract sealed class Buf permits Buf.F32, Buf.F64 {
    public final INDArray array;
    public final int length;

    private Buf(INDArray array) {
        this.array = array;
        this.length = Math.toIntExact(array.length());
    }

    /** A view of {@code a}'s elements in c order; {@code a} must pass {@link Blas#supports}. */
    public static Buf of(INDArray a) {
        if (!Blas.supports(a)) {
            throw new IllegalArgumentException("fused pass: array must be c-contiguous float or double, got "
                    + a.shapeInfoToString());
        }
        return a.dataType() == DataType.FLOAT ? new F32(a) : new F64(a);
    }

    public abstract double get(int i);

    public abstract void set(int i, double v);

    /** Copies {@code len} elements from {@code src[from..]} to {@code this[to..]} (same dtype). */
    public abstract void copyFrom(Buf src, int from, int to, int len);

    public abstract Pointer pointer();

    static final class F32 extends Buf {
        private final FloatPointer ptr;
        private final FloatBuffer b;

        F32(INDArray a) {
            super(a);
            ptr = new FloatPointer(Blas.pointer(a));
            b = ptr.position(0).limit(length).capacity(length).asBuffer();
        }

        @Override public double get(int i) { return b.get(i); }
        @Override public void set(int i, double v) { b.put(i, (float) v); }
        @Override public void copyFrom(Buf src, int from, int to, int len) { b.put(to, ((F32) src).b, from, len); }
        @Override public Pointer pointer() { return ptr; }

        /** The elements as floats, for the float-only loops of {@link FusedPasses}. */
        FloatBuffer floats() { return b; }
    }

    static final class F64 extends Buf {
        private final DoublePointer ptr;
        private final DoubleBuffer b;

        F64(INDArray a) {
            super(a);
            ptr = new DoublePointer(Blas.pointer(a));
            b = ptr.position(0).limit(length).capacity(length).asBuffer();
        }

        @Override public double get(int i) { return b.get(i); }
        @Override public void set(int i, double v) { b.put(i, v); }
        @Override public void copyFrom(Buf src, int from, int to, int len) { b.put(to, ((F64) src).b, from, len); }
        @Override public Pointer pointer() { return ptr; }
    }
}
