package io.ndopt.internal.kernel;

import io.ndopt.backend.Backend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which fused kernels this JVM runs, decided once at start-up from what it can link, and why: the
 * {@code ByteBuffer} family on JDK 17-18, the {@code MemorySegment} family on JDK 22+, none on JDK
 * 19-21 (the Vector API's {@code ByteBuffer} loads are gone there and its {@code MemorySegment} loads
 * need the final FFM API of JDK 22). The chosen family must pass a small start-up check before it is
 * used, so a JDK that cannot run it is found here and never in the middle of a training step.
 *
 * @param kernels the kernels, or null when the fused path is off
 * @param why     what runs and why ("… on JDK 25"), or why nothing does
 */
record KernelChoice(CpuKernels kernels, String why) {
    static final String SEGMENT_KERNELS = "io.ndopt.internal.kernel.SegmentKernels";

    static KernelChoice detect() {
        int jdk = Runtime.version().feature();
        if (!Backend.isCpu()) {
            return off("the ND4J backend is not the CPU backend");
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return off("the JVM was started without --add-modules jdk.incubator.vector");
        }
        CpuKernels k;
        if (jdk >= 22) {
            try {
                k = (CpuKernels) Class.forName(SEGMENT_KERNELS).getDeclaredMethod("create").invoke(null);
            } catch (ClassNotFoundException e) {
                return off("JDK " + jdk + " needs the MemorySegment kernels, and this ndopt build has none "
                        + "(it was built without a JDK 22+ javac; see README, Build)");
            } catch (ReflectiveOperationException | LinkageError e) {
                return off("the MemorySegment kernels do not load on JDK " + jdk + ": " + e);
            }
        } else if (linksByteBufferLoads()) {
            k = BufferKernels.create();
        } else {
            return off("JDK " + jdk + " cannot link a fused kernel: the Vector API's ByteBuffer loads ended with "
                    + "JDK 18 and its MemorySegment loads need JDK 22+ (use JDK 17 or 22+ for the fused path)");
        }
        String failure = selfCheck(k);
        if (failure != null) {
            return off("the " + k.description() + " failed their start-up check on JDK " + jdk + ": " + failure);
        }
        return new KernelChoice(k, k.description() + ", JDK " + jdk);
    }

    private static KernelChoice off(String why) { return new KernelChoice(null, why); }

    /** Whether {@code FloatVector.fromByteBuffer} (JDK 16-18) exists in this JDK's Vector API. */
    private static boolean linksByteBufferLoads() {
        try {
            Class<?> fv = Class.forName("jdk.incubator.vector.FloatVector");
            Class<?> species = Class.forName("jdk.incubator.vector.VectorSpecies");
            fv.getMethod("fromByteBuffer", species, ByteBuffer.class, int.class, ByteOrder.class);
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * One SGD step and one Σg² on 37 elements of each dtype (whole vectors and a masked tail for any
     * lane count), against values computed here; all are small integers or eighths, so exact in both
     * dtypes. Returns null when all agree, else what went wrong.
     */
    static String selfCheck(CpuKernels k) {
        int n = 37;
        double[] p0 = new double[n], g0 = new double[n], expected = new double[n];
        for (int i = 0; i < n; i++) {
            p0[i] = i + 1;
            g0[i] = i - 18;
            expected[i] = p0[i] + g0[i] * 0.5 * -0.25;             // p + (gradScale·g)·(−lr)
        }
        try {
            for (DataType dtype : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                INDArray p = Nd4j.createFromArray(p0).castTo(dtype), g = Nd4j.createFromArray(g0).castTo(dtype);
                double sq = k.sumSquares(g);
                if (sq != 4218) return dtype + " sum of squares " + sq + " != 4218";
                double folded = k.apply(KernelScalars.sgd(1, 0.25, 0.5, 1, 0, 0, 0, 0, false), true, p, g,
                        new INDArray[0]);
                if (folded != 4218) return dtype + " sum of squares in the SGD pass " + folded + " != 4218";
                for (int i = 0; i < n; i++) {
                    if (p.getDouble(i) != expected[i]) {
                        return dtype + " SGD element " + i + ": " + p.getDouble(i) + " != " + expected[i];
                    }
                }
            }
            return null;
        } catch (RuntimeException | LinkageError e) {
            return e.toString();
        }
    }
}
