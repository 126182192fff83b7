package io.ndopt.nn;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.backend.Blas;
import io.ndopt.device.DeviceOps;
import io.ndopt.device.DeviceSegment;
import io.ndopt.device.DeviceStore;
import io.ndopt.device.DeviceUpdater;
import io.ndopt.device.FakeCuda;
import io.ndopt.device.Gpu;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Every {@link DeviceOps} operation through a real {@link DeviceUpdater} (the CUDA engine over the
 * stand-in driver, {@link FakeCuda}, which runs the real {@code nn.cu}) against the CPU's fused passes
 * ({@link Kernels}) on random inputs: element-wise results and bias gradients bitwise equal, loss values
 * within 1e-12 (float64) / 1e-6 (float32) relative (the device sums in another order), products against
 * {@link Blas#gemm}. One exception: where a float64 pass calls {@code exp}, {@code tanh} or {@code log1p}
 * (tanh, sigmoid, softmax forward; BCE and softmax-CE gradients) the C library's function and the JDK's
 * {@code Math} may differ in the last bit (so may CUDA's), so those float64 results are held to
 * {@value #LIBM_TOLERANCE}·max(1, |x|); their float32 results, rounded from double, stay bitwise.
 */
class DeviceOpsParityTest {
    private static final List<DataType> DTYPES = List.of(DataType.FLOAT, DataType.DOUBLE);
    private static final int[] ROWS = {1, 7, 33};
    private static final int[] WIDTHS = {1, 3, 10, 17};
    /** About 4.5 units in the last place of 1: what two correctly-rounded-to-1-ulp libms can differ by after a few operations. */
    static final double LIBM_TOLERANCE = 1e-15;
    private DeviceUpdater updater;
    private DeviceOps ops;

    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    @BeforeEach void open() {
        updater = open(DataType.FLOAT);
        ops = updater.ops();
    }

    @AfterEach void close() { updater.close(); }

    /** An updater over a tiny store: the network's operations do not need the optimizer's buffers. */
    static DeviceUpdater open(DataType dt) {
        DeviceStore store = new DeviceStore(dt, Nd4j.zeros(dt, 4), Nd4j.zeros(dt, 4), new INDArray[0]);
        return Gpu.engine().open(0, List.of(store), List.of(new DeviceSegment(0, 0, 4)));
    }

    static INDArray random(SplittableRandom r, DataType dt, double scale, int rows, int n) {
        double[] v = new double[rows * n];
        for (int i = 0; i < v.length; i++) v[i] = scale * (2 * r.nextDouble() - 1);
        return Nd4j.createFromArray(v).castTo(dt).reshape('c', rows, n);
    }

    private long up(INDArray a) {
        long bytes = a.length() * a.dataType().width();
        long p = ops.alloc(bytes, "test array");
        ops.upload(p, Blas.pointer(a).address(), bytes);
        return p;
    }

    private INDArray down(long p, DataType dt, long... shape) {
        INDArray a = Nd4j.create(dt, shape);
        ops.download(Blas.pointer(a).address(), p, a.length() * dt.width());
        return a;
    }

    /** Equal bit for bit (signs of zero included), with the first difference in the message. */
    static void assertBitwise(INDArray expected, INDArray actual, String what) {
        double[] e = expected.data().asDouble(), a = actual.data().asDouble();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
                fail(what + ": element " + i + " is " + a[i] + " on the device, " + e[i] + " on the CPU");
            }
        }
    }

    /** Bitwise, except a float64 result that went through a C library function: within {@link #LIBM_TOLERANCE}. */
    static void assertSame(INDArray expected, INDArray actual, boolean libm, String what) {
        if (!libm || expected.dataType() == DataType.FLOAT) {
            assertBitwise(expected, actual, what);
            return;
        }
        double[] e = expected.data().asDouble(), a = actual.data().asDouble();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], LIBM_TOLERANCE * Math.max(1, Math.abs(e[i])), what + ": element " + i);
        }
    }

    private static boolean libm(Activation act) {
        return act == Activation.TANH || act == Activation.SIGMOID || act == Activation.SOFTMAX;
    }

    @Test void biasActivationIsBitwiseTheCpuPass() {
        SplittableRandom r = new SplittableRandom(1);
        for (DataType dt : DTYPES) {
            for (Activation act : Activation.values()) {
                for (int rows : ROWS) {
                    for (int n : WIDTHS) {
                        for (boolean inPlace : new boolean[] {false, true}) {
                            INDArray z = random(r, dt, 3, rows, n), b = random(r, dt, 1, 1, n);
                            long dz = up(z), db = up(b), da = inPlace ? dz : ops.alloc(z.length() * dt.width(), "a");
                            ops.biasActivation(dt, dz, db, da, rows, n, act.ordinal());
                            INDArray cz = z.dup(), ca = inPlace ? cz : z.ulike();
                            Kernels.biasActivation(Buf.of(cz), Buf.of(b), inPlace ? Buf.of(cz) : Buf.of(ca), rows, n,
                                    act);
                            String what = dt + " " + act + " " + rows + "x" + n + (inPlace ? " in place" : "");
                            assertSame(cz, down(dz, dt, rows, n), inPlace && libm(act), what + " z");
                            assertSame(ca, down(da, dt, rows, n), libm(act), what + " a");
                            for (long p : inPlace ? new long[] {dz, db} : new long[] {dz, db, da}) ops.free(p);
                        }
                    }
                }
            }
        }
    }

    @Test void activationBackwardAndBiasGradientAreBitwiseTheCpuPass() {
        SplittableRandom r = new SplittableRandom(2);
        for (DataType dt : DTYPES) {
            for (Activation act : Activation.values()) {
                for (int rows : ROWS) {
                    for (int n : WIDTHS) {
                        INDArray z = random(r, dt, 3, rows, n), a = z.ulike(), d = random(r, dt, 1, rows, n);
                        Kernels.biasActivation(Buf.of(z), Buf.of(Nd4j.zeros(dt, 1, n)), Buf.of(a), rows, n, act);
                        if (act == Activation.RELU || act == Activation.LEAKY_RELU) z.putScalar(0, 0.0);  // the z = 0 edge
                        long dz = up(z), da = up(a), dd = up(d), dg = ops.alloc(n * dt.width(), "bias grad");
                        ops.activationBackward(dt, dz, da, dd, rows, n, act.ordinal(), dg);
                        INDArray cd = d.dup(), cg = Nd4j.create(dt, 1, n);
                        Kernels.activationBackward(Buf.of(z), Buf.of(a), Buf.of(cd), rows, n, act, new double[n],
                                Buf.of(cg));
                        String what = dt + " " + act + " " + rows + "x" + n;
                        assertBitwise(cd, down(dd, dt, rows, n), what + " delta");
                        assertBitwise(cg, down(dg, dt, 1, n), what + " bias gradient");
                        for (long p : new long[] {dz, da, dd, dg}) ops.free(p);
                    }
                }
            }
        }
    }

    /** Targets as each loss expects them: any values (MSE), 0/1 labels (BCE), one-hot rows (softmax CE). */
    private static INDArray targets(SplittableRandom r, Loss loss, DataType dt, int rows, int n) {
        if (loss == Loss.MSE) return random(r, dt, 2, rows, n);
        INDArray y = Nd4j.zeros(dt, rows, n);
        for (int i = 0; i < rows; i++) {
            if (loss == Loss.SOFTMAX_CROSS_ENTROPY) y.putScalar(i, r.nextInt(n), 1.0);
            else for (int j = 0; j < n; j++) y.putScalar(i, j, r.nextBoolean() ? 1.0 : 0.0);
        }
        return y;
    }

    @Test void lossGradientIsBitwiseAndItsValueWithinTolerance() {
        SplittableRandom r = new SplittableRandom(3);
        for (DataType dt : DTYPES) {
            double tol = dt == DataType.FLOAT ? 1e-6 : 1e-12;
            for (Loss loss : Loss.values()) {
                for (int rows : ROWS) {
                    for (int n : WIDTHS) {
                        INDArray out = random(r, dt, 4, rows, n), y = targets(r, loss, dt, rows, n);
                        long dout = up(out), dy = up(y), dgrad = ops.alloc(out.length() * dt.width(), "grad");
                        long dv = ops.alloc(8, "loss value");
                        ops.lossAndGradient(dt, loss.ordinal(), dout, dy, dgrad, rows, n, dv);
                        INDArray cg = out.ulike();
                        double cpu = Kernels.lossAndGradient(loss, Buf.of(out), Buf.of(y), Buf.of(cg), rows, n);
                        String what = dt + " " + loss + " " + rows + "x" + n;
                        assertSame(cg, down(dgrad, dt, rows, n), loss != Loss.MSE, what + " gradient");
                        double dev = down(dv, DataType.DOUBLE, 1).getDouble(0);
                        assertEquals(cpu, dev, tol * Math.abs(cpu), what + " value");
                        for (long p : new long[] {dout, dy, dgrad, dv}) ops.free(p);
                    }
                }
            }
        }
    }

    /** A value summed over many blocks (more than one reduction block and a partial last one). */
    @Test void lossValueOverManyBlocksStaysWithinTolerance() {
        SplittableRandom r = new SplittableRandom(4);
        int rows = 1001, n = 7;
        for (DataType dt : DTYPES) {
            INDArray out = random(r, dt, 4, rows, n), y = random(r, dt, 2, rows, n);
            long dout = up(out), dy = up(y), dgrad = ops.alloc(out.length() * dt.width(), "grad"), dv = ops.alloc(8, "v");
            ops.lossAndGradient(dt, DeviceOps.LOSS_MSE, dout, dy, dgrad, rows, n, dv);
            double cpu = Kernels.lossAndGradient(Loss.MSE, Buf.of(out), Buf.of(y), Buf.of(out.ulike()), rows, n);
            double tol = dt == DataType.FLOAT ? 1e-6 : 1e-12;
            assertEquals(cpu, down(dv, DataType.DOUBLE, 1).getDouble(0), tol * cpu, dt + " MSE over 28 blocks");
        }
    }

    @Test void multiplyAndGatherRowsAreExact() {
        SplittableRandom r = new SplittableRandom(5);
        for (DataType dt : DTYPES) {
            for (int rows : ROWS) {
                for (int n : WIDTHS) {
                    INDArray x = random(r, dt, 3, rows, n), mask = random(r, dt, 2, rows, n);
                    long dx = up(x), dm = up(mask), dout = ops.alloc(x.length() * dt.width(), "out");
                    ops.multiply(dt, dx, dm, dout, x.length());
                    ops.multiply(dt, dx, dm, dx, x.length());                                  // in place
                    INDArray cpu = x.dup();
                    Kernels.multiply(Buf.of(x), Buf.of(mask), Buf.of(cpu), rows * n);
                    assertBitwise(cpu, down(dout, dt, rows, n), dt + " multiply " + rows + "x" + n);
                    assertBitwise(cpu, down(dx, dt, rows, n), dt + " multiply in place " + rows + "x" + n);

                    int from = 3, picked = rows;
                    int[] index = new int[from + picked];
                    for (int i = 0; i < index.length; i++) index[i] = r.nextInt(rows);
                    INDArray idx = Nd4j.createFromArray(index);
                    long di = up(idx), dst = ops.alloc((long) picked * n * dt.width(), "gathered");
                    ops.gatherRows(dt, dm, di, from, picked, n, dst);
                    INDArray expected = Nd4j.create(dt, picked, n);
                    for (int i = 0; i < picked; i++) expected.putRow(i, mask.getRow(index[from + i]));
                    assertBitwise(expected, down(dst, dt, picked, n), dt + " gather " + rows + "x" + n);
                    for (long p : new long[] {dx, dm, dout, di, dst}) ops.free(p);
                }
            }
        }
    }

    /** All four transpose combinations, beta 0 and 1, odd sizes: within a sum-of-|products| bound of the CPU's BLAS. */
    @Test void gemmMatchesTheCpuBlas() {
        SplittableRandom r = new SplittableRandom(6);
        int[][] shapes = {{1, 1, 1}, {7, 3, 10}, {33, 17, 7}, {3, 33, 1}, {10, 1, 17}};
        for (DataType dt : DTYPES) {
            double tol = dt == DataType.FLOAT ? 1e-5 : 1e-14;
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    for (double beta : new double[] {0, 1}) {
                        INDArray a = ta ? random(r, dt, 1, k, m) : random(r, dt, 1, m, k);
                        INDArray b = tb ? random(r, dt, 1, n, k) : random(r, dt, 1, k, n);
                        INDArray c = random(r, dt, 1, m, n);
                        if (beta == 0) c.putScalar(0, Double.NaN);                 // beta 0 must not read C
                        long pa = up(a), pb = up(b), pc = up(c);
                        ops.gemm(dt, ta, tb, m, n, k, pa, pb, beta, pc);
                        INDArray cpu = c.dup();
                        Blas.gemm(dt, ta, tb, m, n, k, Blas.pointer(a), Blas.pointer(b), beta, Blas.pointer(cpu));
                        INDArray dev = down(pc, dt, m, n);
                        INDArray opA = ta ? a.transpose() : a, opB = tb ? b.transpose() : b;
                        INDArray bound = Transforms.abs(opA, true).castTo(DataType.DOUBLE)
                                .mmul(Transforms.abs(opB, true).castTo(DataType.DOUBLE)).addi(beta);
                        String what = dt + " gemm " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k
                                + " beta " + beta;
                        for (int i = 0; i < m * n; i++) {
                            double e = cpu.getDouble(i), g = dev.getDouble(i);
                            assertTrue(Double.isFinite(g), what + ": element " + i + " is " + g);
                            assertEquals(e, g, tol * bound.getDouble(i), what + ": element " + i);
                        }
                        for (long p : new long[] {pa, pb, pc}) ops.free(p);
                    }
                }
            }
        }
    }

    @Test void badArgumentsAreNamed() {
        long p = ops.alloc(64, "x");
        var e = assertThrows(IllegalArgumentException.class,
                () -> ops.biasActivation(DataType.HALF, p, p, p, 1, 1, 0));
        assertTrue(e.getMessage().contains("HALF"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ops.biasActivation(DataType.FLOAT, p, p, p, 1, 1, 6));
        assertTrue(e.getMessage().contains("activation code 6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ops.lossAndGradient(DataType.FLOAT, 3, p, p, p, 1, 1, p));
        assertTrue(e.getMessage().contains("loss code 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ops.gemm(DataType.FLOAT, false, false, 0, 1, 1, p, p, 0, p));
        assertTrue(e.getMessage().contains("m must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ops.multiply(DataType.DOUBLE, p, 0, p, 2));
        assertTrue(e.getMessage().contains("null device pointer for mask"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ops.free(p + 8));
        assertTrue(e.getMessage().contains("not allocated"), e.getMessage());
        ops.free(p);
        assertThrows(IllegalArgumentException.class, () -> ops.free(p), "a double free is refused");
    }

    @Test void oneOpsPerUpdaterAndNoneAfterClose() {
        assertTrue(ops == updater.ops(), "one ops object per updater");
        long p = ops.alloc(16, "left for close to free");
        DeviceUpdater other = open(DataType.DOUBLE);
        assertTrue(ops != other.ops(), "each updater has its own ops");
        other.close();
        updater.close();
        var e = assertThrows(IllegalStateException.class, () -> ops.alloc(16, "x"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ops.free(p));
        assertThrows(IllegalStateException.class, updater::ops);
    }

    @Test void missingCublasIsNamedWithWhatWasTried() {
        String before = System.getProperty("ndopt.cuda.cublas");
        System.setProperty("ndopt.cuda.cublas", "/nonexistent/libcublas.so.13");
        try (DeviceUpdater u = open(DataType.FLOAT)) {
            var e = assertThrows(IllegalStateException.class, u::ops);
            assertTrue(e.getMessage().contains("cuBLAS") && e.getMessage().contains("/nonexistent/libcublas.so.13")
                    && e.getMessage().contains("-Dndopt.cuda.cublas"), e.getMessage());
            u.pushValues();                                          // the optimizer side still works
            u.synchronize();
        } finally {
            System.setProperty("ndopt.cuda.cublas", before);
        }
    }
}
