package io.ndopt.internal.gpusuite;

import io.ndopt.nn.Activation;
import io.ndopt.internal.passes.Buf;
import io.ndopt.internal.passes.FusedPasses;
import io.ndopt.nn.Loss;

import io.ndopt.backend.Blas;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceUpdater;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Every {@link DeviceOps} operation on random inputs against the CPU's fused passes ({@link Kernels})
 * and {@link Blas#gemm}, float32 and float64, every activation and loss, odd shapes (rows 1, 7, 33;
 * widths 1, 3, 10, 17), and a captured CUDA graph replayed against the same steps run eagerly
 * ({@link GraphReplayCheck}, float32). Run by the GPU suite ({@code gpu-check}, which reports each {@link Result} as one
 * of its checks) and by the tests over the stand-in driver.
 * <ul>
 *   <li>float64 element-wise results and bias gradients: bitwise equal — except results that went through
 *       {@code exp}, {@code tanh} or {@code log1p} (tanh, sigmoid, softmax forward; BCE and softmax-CE
 *       gradients): the JDK's {@code Math}, the C library and CUDA's libdevice may differ in the last bit,
 *       so those are held to {@link #LIBM};</li>
 *   <li>float32 element-wise results and bias gradients: {@link #F32_OPS} (1e-5 relative, or 1e-6 absolute where
 *       a difference cancels): the device computes float32 in float, the CPU in double rounded at each store;
 *       products with a mask and gathered rows stay bitwise (one exact operation);</li>
 *   <li>loss values: 1e-12 (float64) / 1e-5 (float32) relative (the device sums in another order);</li>
 *   <li>products: |GPU − CPU| ≤ tol · (Σ|a||b| + |beta|), tol 1e-14 (float64) / 1e-5 (float32).</li>
 * </ul>
 */
public final class DeviceOpsCheck {
    /**
     * One check: {@code differing} elements not bitwise equal to the CPU, the largest deviations (relative to
     * the larger magnitude, and absolute), {@code bad} elements out of bounds.
     */
    public record Result(String name, boolean passed, double maxRel, double maxAbs, long differing, long bad,
                         String detail) {}

    /** How far a result may be from the CPU's: within {@code rel} of the larger magnitude, or {@code abs}. */
    record Bound(double rel, double abs) {
        /** Deviations of {@code actual} from {@code expected} (a NaN must meet a NaN). */
        Tally compare(double[] expected, double[] actual) {
            Tally t = new Tally();
            for (int i = 0; i < expected.length; i++) {
                double e = expected[i], a = actual[i];
                if (Double.compare(a, e) == 0 || a == e) continue;
                t.differing++;
                double d = Math.abs(a - e), scale = Math.max(Math.abs(a), Math.abs(e));
                t.maxAbs = Math.max(t.maxAbs, d);
                if (scale > 0) t.maxRel = Math.max(t.maxRel, d / scale);
                if (!(d <= rel * scale || d <= abs)) t.bad++;
            }
            return t;
        }
    }

    /** Accumulated deviations of several comparisons. */
    static final class Tally {
        long differing, bad;
        double maxRel, maxAbs;

        Tally merge(Tally o) {
            differing += o.differing;
            bad += o.bad;
            maxRel = Math.max(maxRel, o.maxRel);
            maxAbs = Math.max(maxAbs, o.maxAbs);
            return this;
        }

        Result result(String name, String what) {
            return new Result(name, bad == 0, maxRel, maxAbs, differing, bad,
                    what + (bad == 0 ? "" : "; " + bad + " elements out of bounds"));
        }
    }

    /** float64 results of a C library function: 1e-15 relative or absolute (a few units in the last place). */
    public static final double LIBM = 1e-15;
    /** float32 element-wise results: 1e-5 relative, or 1e-6 absolute (8-16 ulps of the O(1) inputs, where a
     *  subtraction such as softmax's d - Σ d·a cancels). */
    public static final double F32_OPS = 1e-5;
    private static final Bound BITWISE = new Bound(0, 0), LIBM_BOUND = new Bound(LIBM, LIBM),
            F32_BOUND = new Bound(F32_OPS, 1e-6);
    private static final List<DataType> DTYPES = List.of(DataType.FLOAT, DataType.DOUBLE);
    private static final int[] ROWS = {1, 7, 33};
    private static final int[] WIDTHS = {1, 3, 10, 17};

    private final DeviceOps ops;
    private final SplittableRandom r;

    private DeviceOpsCheck(DeviceOps ops, long seed) {
        this.ops = ops;
        this.r = new SplittableRandom(seed);
    }

    /** Every check on {@code updater}'s device (through its {@link DeviceUpdater#ops()}). */
    public static List<Result> run(DeviceUpdater updater) { return run(updater.ops()); }

    /** Every check through {@code ops}. */
    public static List<Result> run(DeviceOps ops) {
        DeviceOpsCheck c = new DeviceOpsCheck(ops, 42);
        List<Result> out = new ArrayList<>();
        for (DataType dt : DTYPES) {
            for (Activation act : Activation.values()) out.add(c.biasActivation(dt, act));
            for (Activation act : Activation.values()) out.add(c.activationBackward(dt, act));
            for (Loss loss : Loss.values()) out.add(c.loss(dt, loss));
            out.add(c.multiplyAndGather(dt));
            out.add(c.gemm(dt));
        }
        out.add(GraphReplayCheck.run(ops, DataType.FLOAT));
        return out;
    }

    private static String name(DataType dt) { return dt == DataType.FLOAT ? "float32" : "float64"; }

    private static Bound libm(DataType dt, boolean usesLibm) {
        if (dt == DataType.FLOAT) return F32_BOUND;
        return usesLibm ? LIBM_BOUND : BITWISE;
    }

    private static boolean libm(Activation act) {
        return act == Activation.TANH || act == Activation.SIGMOID || act == Activation.SOFTMAX;
    }

    INDArray random(DataType dt, double scale, int rows, int n) {
        double[] v = new double[rows * n];
        for (int i = 0; i < v.length; i++) v[i] = scale * (2 * r.nextDouble() - 1);
        return Nd4j.createFromArray(v).castTo(dt).reshape('c', rows, n);
    }

    private long up(INDArray a) {
        long bytes = a.length() * a.dataType().width();
        long p = ops.alloc(bytes, "check input");
        ops.upload(p, Blas.pointer(a).address(), bytes);
        return p;
    }

    private long scratch(DataType dt, long elements) { return ops.alloc(elements * dt.width(), "check output"); }

    private INDArray down(long p, DataType dt, long... shape) {
        INDArray a = Nd4j.create(dt, shape);
        ops.download(Blas.pointer(a).address(), p, a.length() * dt.width());
        return a;
    }

    private void free(long... pointers) { for (long p : pointers) ops.free(p); }

    private static Tally compare(Bound t, INDArray expected, INDArray actual) {
        return t.compare(expected.data().asDouble(), actual.data().asDouble());
    }

    Result biasActivation(DataType dt, Activation act) {
        Tally all = new Tally();
        for (int rows : ROWS) {
            for (int n : WIDTHS) {
                for (boolean inPlace : new boolean[] {false, true}) {
                    INDArray z = random(dt, 3, rows, n), b = random(dt, 1, 1, n);
                    long dz = up(z), db = up(b), da = inPlace ? dz : scratch(dt, z.length());
                    ops.biasActivation(dt, dz, db, da, rows, n, act.ordinal());
                    INDArray cz = z.dup(), ca = inPlace ? cz : z.ulike();
                    FusedPasses.biasActivation(Buf.of(cz), Buf.of(b), inPlace ? Buf.of(cz) : Buf.of(ca), rows, n, act.ordinal());
                    all.merge(compare(libm(dt, inPlace && libm(act)), cz, down(dz, dt, rows, n)));
                    all.merge(compare(libm(dt, libm(act)), ca, down(da, dt, rows, n)));
                    if (inPlace) free(dz, db);
                    else free(dz, db, da);
                }
            }
        }
        return all.result("ops/bias_activation/" + act.name().toLowerCase() + "/" + name(dt),
                "z + b and act(z) vs the CPU pass, 24 shapes, separate and in place");
    }

    Result activationBackward(DataType dt, Activation act) {
        Tally all = new Tally();
        for (int rows : ROWS) {
            for (int n : WIDTHS) {
                INDArray z = random(dt, 3, rows, n), a = z.ulike(), d = random(dt, 1, rows, n);
                FusedPasses.biasActivation(Buf.of(z), Buf.of(Nd4j.zeros(dt, 1, n)), Buf.of(a), rows, n, act.ordinal());
                z.putScalar(0, 0.0);                                          // the z = 0 edge of relu's derivative
                long dz = up(z), da = up(a), dd = up(d), dg = scratch(dt, n);
                ops.activationBackward(dt, dz, da, dd, rows, n, act.ordinal(), dg);
                INDArray cd = d.dup(), cg = Nd4j.create(dt, 1, n);
                FusedPasses.activationBackward(Buf.of(z), Buf.of(a), Buf.of(cd), rows, n, act.ordinal(), new double[n], Buf.of(cg));
                all.merge(compare(libm(dt, false), cd, down(dd, dt, rows, n)));
                all.merge(compare(libm(dt, false), cg, down(dg, dt, 1, n)));
                free(dz, da, dd, dg);
            }
        }
        return all.result("ops/activation_backward/" + act.name().toLowerCase() + "/" + name(dt),
                "act'(z)·d and the bias gradient vs the CPU pass, 12 shapes");
    }

    /** Targets as each loss expects them: any values (MSE), 0/1 labels (BCE), one-hot rows (softmax CE). */
    private INDArray targets(Loss loss, DataType dt, int rows, int n) {
        if (loss == Loss.MSE) return random(dt, 2, rows, n);
        INDArray y = Nd4j.zeros(dt, rows, n);
        for (int i = 0; i < rows; i++) {
            if (loss == Loss.SOFTMAX_CROSS_ENTROPY) y.putScalar(i, r.nextInt(n), 1.0);
            else for (int j = 0; j < n; j++) y.putScalar(i, j, r.nextBoolean() ? 1.0 : 0.0);
        }
        return y;
    }

    Result loss(DataType dt, Loss loss) {
        Bound value = new Bound(dt == DataType.FLOAT ? F32_OPS : 1e-12, 0);
        Tally grads = new Tally(), values = new Tally();
        int[] rowsToTry = {1, 7, 33, 1001};                                   // 1001 × 17: over 60 reduction blocks
        for (int rows : rowsToTry) {
            for (int n : WIDTHS) {
                INDArray out = random(dt, 4, rows, n), y = targets(loss, dt, rows, n);
                long dout = up(out), dy = up(y), dgrad = scratch(dt, out.length()), dv = ops.alloc(8, "loss value");
                ops.lossAndGradient(dt, loss.ordinal(), dout, dy, dgrad, rows, n, dv);
                INDArray cg = out.ulike();
                double cpu = FusedPasses.lossAndGradient(loss.ordinal(), Buf.of(out), Buf.of(y), Buf.of(cg), rows, n);
                grads.merge(compare(libm(dt, loss != Loss.MSE), cg, down(dgrad, dt, rows, n)));
                values.merge(value.compare(new double[] {cpu},
                        new double[] {down(dv, DataType.DOUBLE, 1).getDouble(0)}));
                free(dout, dy, dgrad, dv);
            }
        }
        String what = "gradient: " + grads.differing + " differ, " + grads.bad + " out of bounds; value: max rel "
                + values.maxRel + ", " + values.bad + " out of bounds; 16 shapes";
        return grads.merge(values).result("ops/loss/" + loss.name().toLowerCase() + "/" + name(dt), what);
    }

    Result multiplyAndGather(DataType dt) {
        Tally all = new Tally();
        for (int rows : ROWS) {
            for (int n : WIDTHS) {
                INDArray x = random(dt, 3, rows, n), mask = random(dt, 2, rows, n);
                long dx = up(x), dm = up(mask), dout = scratch(dt, x.length());
                ops.multiply(dt, dx, dm, dout, x.length());
                ops.multiply(dt, dx, dm, dx, x.length());                                  // in place
                INDArray cpu = x.dup();
                FusedPasses.multiply(Buf.of(x), Buf.of(mask), Buf.of(cpu), rows * n);
                all.merge(compare(BITWISE, cpu, down(dout, dt, rows, n)));
                all.merge(compare(BITWISE, cpu, down(dx, dt, rows, n)));
                int from = 3;
                int[] index = new int[from + rows];
                for (int i = 0; i < index.length; i++) index[i] = r.nextInt(rows);
                long di = up(Nd4j.createFromArray(index)), dst = scratch(dt, (long) rows * n);
                ops.gatherRows(dt, dm, di, from, rows, n, dst);
                INDArray expected = Nd4j.create(dt, rows, n);
                for (int i = 0; i < rows; i++) expected.putRow(i, mask.getRow(index[from + i]));
                all.merge(compare(BITWISE, expected, down(dst, dt, rows, n)));
                free(dx, dm, dout, di, dst);
            }
        }
        return all.result("ops/multiply_gather/" + name(dt), "x·mask (also in place) and gathered rows, bitwise");
    }

    /** All four transpose combinations, beta 0 (C holds a NaN that must not be read) and 1, odd shapes. */
    Result gemm(DataType dt) {
        Bound scaled = new Bound(0, dt == DataType.FLOAT ? 1e-5 : 1e-14);
        Tally all = new Tally();
        int[][] shapes = {{1, 1, 1}, {7, 3, 10}, {33, 17, 7}, {3, 33, 1}, {10, 1, 17}, {64, 96, 80}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int t = 0; t < 8; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                double beta = (t & 4) != 0 ? 1 : 0;
                INDArray a = ta ? random(dt, 1, k, m) : random(dt, 1, m, k);
                INDArray b = tb ? random(dt, 1, n, k) : random(dt, 1, k, n);
                INDArray c = random(dt, 1, m, n);
                if (beta == 0) c.putScalar(0, Double.NaN);
                long pa = up(a), pb = up(b), pc = up(c);
                ops.gemm(dt, ta, tb, m, n, k, pa, pb, beta, pc);
                INDArray cpu = c.dup();
                Blas.gemm(dt, ta, tb, m, n, k, Blas.pointer(a), Blas.pointer(b), beta, Blas.pointer(cpu));
                INDArray bound = Transforms.abs(ta ? a.transpose() : a, true).castTo(DataType.DOUBLE)
                        .mmul(Transforms.abs(tb ? b.transpose() : b, true).castTo(DataType.DOUBLE)).addi(beta);
                INDArray dev = down(pc, dt, m, n).castTo(DataType.DOUBLE).divi(bound);
                all.merge(compare(scaled, cpu.castTo(DataType.DOUBLE).divi(bound), dev));
                free(pa, pb, pc);
            }
        }
        return all.result("ops/gemm/" + name(dt),
                "op(A)·op(B) + beta·C vs the CPU BLAS, NN/TN/NT/TT, beta 0 and 1, 6 shapes, error / Σ|a||b|");
    }
}
