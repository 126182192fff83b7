import io.ndopt.backend.Blas;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.Rule;
import io.ndopt.param.Param;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Muon's step against its GEMM floor, taking turns in rounds as {@code FloorAB} (blocks of {@code block + 1} steps
 * after a 50 ms pause, first dropped, rotating order): ndopt's Muon step on one M×N float32 weight (torch's
 * defaults: 5 Newton–Schulz iterations, momentum 0.95 Nesterov, weight decay 0.1) and the floor, the same 15 matrix
 * products (per iteration X·Xᵀ, S·S, (bS + cS²)·X, on the r×k orientation, r = min(M, N), k = max(M, N)) as plain
 * {@code Nd4j.gemm} calls into preallocated outputs on ND4J's BLAS. Prints one JSON line per shape: medians, the
 * Newton–Schulz flops, the GFLOP/s of each and the median over rounds of the ratio of block medians.
 *
 * <pre>java --add-modules jdk.incubator.vector -Xmx3g -cp target/benchmarks.jar ab/MuonAB.java MxN[,MxN...] [ROUNDS [BLOCK]]</pre>
 */
public class MuonAB {
    private static final int QUIET_MS = 50;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) throw new IllegalArgumentException("usage: MuonAB MxN[,MxN...] [ROUNDS [BLOCK]]");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int block = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (String shape : args[0].split(",")) run(shape, rounds, block);
    }

    private static void run(String shape, int rounds, int block) throws Exception {
        String[] mn = shape.split("x");
        int m = Integer.parseInt(mn[0]), n = Integer.parseInt(mn[1]), r = Math.min(m, n), k = Math.max(m, n);
        Nd4j.getRandom().setSeed(1);
        Param w = Param.weight("w", Nd4j.randn(DataType.FLOAT, m, n).muli(0.02));
        Optimizer muon = Optimizer.muon(1e-3).muonParams(Rule.Muon.MuonParams.WEIGHTS).build(List.of(w));
        w.setGrad(Nd4j.randn(DataType.FLOAT, m, n).muli(1e-2));
        Rule.Muon rule = Rule.Muon.defaults();
        INDArray x = Nd4j.randn(DataType.FLOAT, r, k), y = Nd4j.zeros(DataType.FLOAT, r, k);
        x.divi(x.norm2Number());
        INDArray gram = Nd4j.zeros(DataType.FLOAT, r, r), upd = Nd4j.zeros(DataType.FLOAT, r, r);
        Runnable floor = () -> {
            INDArray a = x, b = y;
            for (int i = 0; i < rule.nsSteps(); i++) {
                Nd4j.gemm(a, a, gram, false, true, 1.0, 0.0);                    // S = X·Xᵀ
                upd.assign(gram);
                Nd4j.gemm(gram, gram, upd, false, false, rule.c(), rule.b());   // U = b·S + c·S·S
                b.assign(a);
                Nd4j.gemm(upd, a, b, false, false, 1.0, rule.a());              // X' = a·X + U·X
                INDArray t = a;
                a = b;
                b = t;
            }
        };
        Runnable step = muon::step;
        String[] names = {"ndopt_muon", "gemm_floor"};
        Runnable[] runs = {step, floor};
        double[][][] times = new double[2][rounds][block];
        for (int round = -2; round < rounds; round++) {
            for (int j = 0; j < 2; j++) {
                int kind = Math.floorMod(round + j, 2);
                Thread.sleep(QUIET_MS);
                for (int i = 0; i <= block; i++) {
                    long a = System.nanoTime();
                    runs[kind].run();
                    double ms = (System.nanoTime() - a) / 1e6;
                    if (round >= 0 && i > 0) times[kind][round][i - 1] = ms;
                }
            }
        }
        double flops = 5.0 * (2.0 * r * r * k + 2.0 * r * r * r + 2.0 * r * r * k);
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "{\"bench\": \"muon\", \"shape\": \"%s\", \"dtype\": \"float32\", \"jdk\": \"%s\", \"blas\": \"%s\", "
                        + "\"rounds\": %d, \"block\": %d, \"ns_flops\": %.0f", shape, Runtime.version(),
                Blas.kernels(false), rounds, block, flops));
        for (int j = 0; j < 2; j++) {
            double ms = median(Arrays.stream(times[j]).flatMapToDouble(Arrays::stream).toArray());
            json.append(String.format(Locale.ROOT, ", \"%s_ms\": %.3f, \"%s_gflops\": %.2f", names[j], ms, names[j],
                    flops / ms / 1e6));
        }
        double[] ratio = new double[rounds];
        for (int i = 0; i < rounds; i++) ratio[i] = median(times[0][i]) / median(times[1][i]);
        json.append(String.format(Locale.ROOT, ", \"ndopt_muon_over_gemm_floor\": %.3f}", median(ratio)));
        System.out.println(json);
    }

    private static double median(double[] x) {
        double[] c = x.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
