package io.ndopt.internal.gpusuite;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.backend.Blas;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.FakeCuda;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 network kernels compute in float, not in double rounded at the end: results equal Java's float
 * arithmetic of the same expressions bitwise (Java float operations round as IEEE single precision), and differ
 * from the double-then-round results of the CPU pass for some inputs (so a kernel that promotes is caught). Over the
 * stand-in, which compiles {@code nn.cu} for the host with float as float.
 */
class Float32KernelsTest {
    private DeviceUpdater updater;
    private DeviceOps ops;

    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    @BeforeEach void open() {
        updater = DeviceOpsParityTest.open(DataType.FLOAT);
        ops = updater.ops();
    }

    @AfterEach void close() { updater.close(); }

    private float[] run(float[] z, int act, boolean backward, float[] d) {
        int n = z.length;
        INDArray hz = Nd4j.createFromArray(z), hd = Nd4j.createFromArray(d), zero = Nd4j.zeros(DataType.FLOAT, n);
        long pz = up(hz), pb = up(zero), pa = up(hz), pd = up(hd), pg = up(zero);
        if (backward) ops.activationBackward(DataType.FLOAT, pz, pa, pd, 1, n, act, pg);
        else ops.biasActivation(DataType.FLOAT, pz, pb, pa, 1, n, act);
        INDArray out = Nd4j.create(DataType.FLOAT, n);
        ops.download(Blas.pointer(out).address(), backward ? pd : pa, 4L * n);
        for (long p : new long[] {pz, pb, pa, pd, pg}) ops.free(p);
        return out.toFloatVector();
    }

    private long up(INDArray a) {
        long p = ops.alloc(a.length() * 4, "test");
        ops.upload(p, Blas.pointer(a).address(), a.length() * 4);
        return p;
    }

    /** leaky relu: 0.01f · v in float (not (float) (0.01 · v)); the CPU's double result differs for some v. */
    @Test void leakyReluMultipliesInFloat() {
        SplittableRandom r = new SplittableRandom(7);
        float[] z = new float[4096];
        for (int i = 0; i < z.length; i++) z[i] = (float) -(r.nextDouble() * 10 + 1e-3);
        float[] got = run(z, DeviceOps.ACT_LEAKY_RELU, false, z);
        int differ = 0;
        for (int i = 0; i < z.length; i++) {
            assertEquals(Float.floatToIntBits(0.01f * z[i]), Float.floatToIntBits(got[i]), "z = " + z[i]);
            if ((float) (0.01 * z[i]) != 0.01f * z[i]) differ++;
        }
        assertTrue(differ > 0, "no input tells float from double here");
    }

    /** tanh backward: d · ((1 - a)(1 + a)) in float, bitwise; the double form d · (1 - a²) rounds differently. */
    @Test void tanhBackwardInFloat() {
        SplittableRandom r = new SplittableRandom(8);
        float[] a = new float[4096], d = new float[4096];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (2 * r.nextDouble() - 1);
            d[i] = (float) (2 * r.nextDouble() - 1);
        }
        float[] got = run(a, DeviceOps.ACT_TANH, true, d);
        int differ = 0;
        for (int i = 0; i < a.length; i++) {
            float expected = d[i] * ((1f - a[i]) * (1f + a[i]));
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got[i]), "a = " + a[i]);
            if ((float) (d[i] * (1 - (double) a[i] * a[i])) != expected) differ++;
        }
        assertTrue(differ > 0, "no input tells float from double here");
    }
}
