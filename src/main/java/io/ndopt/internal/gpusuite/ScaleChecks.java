package io.ndopt.internal.gpusuite;

import io.ndopt.device.Device;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceSegment;
import io.ndopt.internal.device.DeviceStore;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.Gpu;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The suite's checks at sizes where indexing, grids and 64-bit offsets matter: an AdamW + L1 step over
 * {@link #ELEMENTS} elements (10⁷: many grid-stride rounds per thread) against the CPU at the parity bounds, and
 * {@link #WIDTH}-wide products (4096 × 4096 × 4096, plain and with A transposed) against a float64 CPU product of the
 * same inputs. A product's element may differ from the float64 reference by at most
 * {@code 16·√k·u·(|A|·|B|)ᵢⱼ} (u the dtype's unit roundoff): the probabilistic bound of a length-k dot product
 * (Higham and Mary, 2019) with a wide margin; a wrong operand, leading dimension or offset misses it by orders of
 * magnitude. {@code -Dndopt.gpu.check.elements=N} and {@code -Dndopt.gpu.check.width=K} lower the sizes (tests of
 * the suite on the stand-in driver).
 */
public final class ScaleChecks {
    public static final long ELEMENTS = Long.getLong("ndopt.gpu.check.elements", 10_000_000L);
    public static final int WIDTH = Integer.getInteger("ndopt.gpu.check.width", 4096);
    private static final int STEPS = 3;

    private ScaleChecks() {}

    public static List<CheckResult> run(Device device) {
        List<CheckResult> out = new ArrayList<>();
        for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) out.add(parity(device, dt, ELEMENTS));
        if (!device.isCuda()) {
            out.add(CheckResult.skip("scale/gemm", "the products need a CUDA device"));
            return out;
        }
        for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            for (boolean transA : new boolean[] {false, true}) out.add(gemm(device, dt, WIDTH, transA));
        }
        return out;
    }

    private static String size(long n) { return String.format(Locale.ROOT, "%.0e", (double) n).replace("+0", ""); }

    /** AdamW + L1 over {@code n} elements, {@link #STEPS} steps, values and state vs the CPU. */
    static CheckResult parity(Device device, DataType dt, long n) {
        String name = "scale/parity/adamw-l1/" + Checks.label(dt) + "/" + size(n);
        return Checks.guard(name, () -> {
            Nd4j.getRandom().setSeed(17);
            INDArray w0 = Nd4j.rand(dt, n).subi(0.5);
            Param cpuW = Param.weight("w", w0.dup()), devW = Param.weight("w", w0.dup());
            Optimizer cpu = Optimizer.adamw(1e-2).l1(0.5).build(List.of(cpuW));
            Optimizer dev = Optimizer.adamw(1e-2).l1(0.5).device(device).build(List.of(devW));
            try {
                for (int t = 0; t < STEPS; t++) {
                    INDArray g = Nd4j.rand(dt, n).subi(0.5);
                    cpuW.setGrad(g);
                    devW.setGrad(g.dup());
                    cpu.step();
                    dev.step();
                }
                Tolerance tol = Tolerance.of(dt == DataType.FLOAT);
                Tolerance.Comparison c = tol.compare(asDouble(devW.value()), asDouble(cpuW.value()));
                Map<String, INDArray> a = dev.stateDict(), b = cpu.stateDict();
                for (String k : b.keySet()) {
                    if (b.get(k).length() == n) c = c.merge(tol.compare(asDouble(a.get(k)), asDouble(b.get(k))));
                }
                long zeros = w0.length() - cpuW.value().neq(0).castTo(DataType.INT).sumNumber().longValue();
                return CheckResult.of(name, c, STEPS + " steps over " + n + " elements, values and state vs the CPU; "
                        + zeros + " exact zeros");
            } finally {
                cpu.close();
                dev.close();
            }
        });
    }

    private static double[] asDouble(INDArray a) { return a.castTo(DataType.DOUBLE).data().asDouble(); }

    /** {@code C = op(A)·B}, all k × k, on the device vs the float64 CPU product of the same values. */
    static CheckResult gemm(Device device, DataType dt, int k, boolean transA) {
        String name = "scale/gemm/" + (transA ? "AtB" : "AB") + "/" + Checks.label(dt) + "/" + k;
        return Checks.guard(name, () -> {
            Nd4j.getRandom().setSeed(23 + k);
            INDArray a = Nd4j.rand(DataType.DOUBLE, k, k).subi(0.5).castTo(dt).castTo(DataType.DOUBLE);
            INDArray b = Nd4j.rand(DataType.DOUBLE, k, k).subi(0.5).castTo(dt).castTo(DataType.DOUBLE);
            INDArray opA = transA ? a.transpose().dup('c') : a;
            INDArray ref = opA.mmul(b), bound = Transforms.abs(opA, true).mmul(Transforms.abs(b, true));
            INDArray got = onDevice(device, dt, a.castTo(dt).dup('c'), b.castTo(dt).dup('c'), k, transA);
            double u = dt == DataType.FLOAT ? 0x1p-24 : 0x1p-53, scale = 16 * Math.sqrt(k) * u;
            double[] r = ref.dup('c').data().asDouble(), g = got.castTo(DataType.DOUBLE).data().asDouble();
            double[] m = bound.dup('c').data().asDouble();
            int bad = 0, differing = 0;
            double worst = 0, worstAbs = 0;
            for (int i = 0; i < r.length; i++) {
                double d = Math.abs(g[i] - r[i]);
                if (d != 0) differing++;
                double ratio = d / (scale * m[i]);
                if (!(ratio <= 1)) bad++;
                if (ratio > worst || Double.isNaN(ratio)) worst = ratio;
                worstAbs = Math.max(worstAbs, d);
            }
            String detail = String.format(Locale.ROOT, "%d×%d×%d %s product vs the float64 CPU product: largest error"
                    + " %.3g of the bound 16·√k·u·(|A||B|)ᵢⱼ", k, k, k, transA ? "Aᵀ·B" : "A·B", worst);
            return new CheckResult(name, bad == 0 ? CheckResult.Status.PASS : CheckResult.Status.FAIL, worst, worstAbs,
                    differing, bad == 0 ? detail : bad + " elements beyond the bound; " + detail);
        });
    }

    private static INDArray onDevice(Device device, DataType dt, INDArray a, INDArray b, int k, boolean transA) {
        DeviceStore store = new DeviceStore(DataType.FLOAT, Nd4j.zeros(DataType.FLOAT, 4),
                Nd4j.zeros(DataType.FLOAT, 4), new INDArray[0]);
        try (DeviceUpdater u = Gpu.engine().open(device.ordinal(), List.of(store), List.of(new DeviceSegment(0, 0, 4)))) {
            DeviceOps ops = u.ops();
            long bytes = (long) k * k * dt.width();
            long da = ops.alloc(bytes, "A"), db = ops.alloc(bytes, "B"), dc = ops.alloc(bytes, "C");
            INDArray c = Nd4j.zeros(dt, k, k);
            ops.upload(da, a.data().addressPointer().address(), bytes);
            ops.upload(db, b.data().addressPointer().address(), bytes);
            ops.gemm(dt, transA, false, k, k, k, da, db, 0, dc);
            ops.download(c.data().addressPointer().address(), dc, bytes);
            return c;
        }
    }
}
