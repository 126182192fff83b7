import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.ndopt.internal.kernel.KernelScalars;
import io.ndopt.internal.kernel.FusedKernels;
import io.ndopt.internal.kernel.Segments;
import io.ndopt.param.FlatStore;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ndopt's fused kernels against the C floor's loops on the very same buffers (JDK 22+: the C is
 * benchmarks/c/c_floor.c built as a shared library and called through FFM on the addresses of ndopt's
 * 64-byte-aligned ND4J buffers), so that neither memory placement nor the machine's drifting memory speed
 * enters the ratio. Four steps take turns as in {@code FloorAB} (blocks of {@code block + 1} steps after a
 * 50 ms pause, first dropped, rotating order): ndopt's update kernel alone ({@code FusedKernels.apply}), C's
 * update alone, ndopt's Σg² pass + update, and C's Σg² pass + update. Prints one JSON line per bench with the
 * medians and, per pair, the median over rounds of the ratio of block medians.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx3g -cp target/benchmarks.jar \
 *     ab/KernelAB.java target/c/libc_floor.so BENCH [N [ROUNDS [BLOCK]]]</pre>
 */
public class KernelAB {
    private static final int QUIET_MS = 50;
    private static final String[] NAMES = {"ndopt_update", "c_update", "ndopt_check_update", "c_check_update"};

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) throw new IllegalArgumentException("usage: KernelAB LIBC_FLOOR BENCH [N [ROUNDS [BLOCK]]]");
        String bench = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 10_000_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int block = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        MethodHandle cStep = Linker.nativeLinker().downcallHandle(
                SymbolLookup.libraryLookup(Path.of(args[0]).toAbsolutePath(), Arena.global()).find("c_floor_step")
                        .orElseThrow(),
                FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG,
                        JAVA_LONG, JAVA_INT));
        // The bench's hyper-parameters, as OptimizerStepBench.recipe and c_floor.c's resolve() set them (lr 1e-3).
        boolean sgd = bench.equals("sgd_l2");
        if (!sgd && !bench.startsWith("adam")) throw new IllegalArgumentException("unknown bench " + bench);
        double decay = bench.startsWith("adamw") ? 1 - 1e-3 * 1e-2 : 1, l2 = sgd ? 1e-4 : 0;
        double threshold = bench.equals("adamw_l1") ? 1e-3 * 1e-5 : 0;
        Nd4j.getRandom().setSeed(1);
        INDArray p = FlatStore.alignedZeros(DataType.FLOAT, n).assign(Nd4j.rand(DataType.FLOAT, n).subi(0.5));
        INDArray g = FlatStore.alignedZeros(DataType.FLOAT, n).assign(Nd4j.rand(DataType.FLOAT, n).subi(0.5).muli(1e-2));
        INDArray m = FlatStore.alignedZeros(DataType.FLOAT, n), v = FlatStore.alignedZeros(DataType.FLOAT, n);
        INDArray[] state = sgd ? new INDArray[] {m} : new INDArray[] {m, v, null};
        MemorySegment cp = address(p), cg = address(g), cm = address(m), cv = address(v);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(bench);
            double[][][] times = new double[NAMES.length][rounds][block];
            long t = 0;
            for (int r = -5; r < rounds; r++) {
                for (int k = 0; k < NAMES.length; k++) {
                    int kind = Math.floorMod(r + k, NAMES.length);
                    Thread.sleep(QUIET_MS);
                    for (int i = 0; i <= block; i++) {
                        KernelScalars s = sgd                   // SGD momentum 0.9, or Adam's defaults
                                ? KernelScalars.sgd(++t, 1e-3, 1, decay, l2, threshold, 0.9, 0, false)
                                : KernelScalars.adam(++t, 1e-3, 1, decay, l2, threshold, 0.9, 0.999, 1e-8, false);
                        long a = System.nanoTime();
                        double sq = 0;
                        switch (kind) {
                            case 0 -> FusedKernels.apply(s, p, g, state);
                            case 1 -> sq = (double) cStep.invokeExact(name, 1, cp, cg, cm, cv, (long) n, t, 0);
                            case 2 -> {
                                sq = FusedKernels.sumSquares(g);
                                FusedKernels.apply(s, p, g, state);
                            }
                            default -> sq = (double) cStep.invokeExact(name, 1, cp, cg, cm, cv, (long) n, t, 1);
                        }
                        double ms = (System.nanoTime() - a) / 1e6;
                        if (!Double.isFinite(sq)) throw new IllegalStateException("non-finite Σg²");
                        if (r >= 0 && i > 0) times[kind][r][i - 1] = ms;
                    }
                }
            }
            StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                    "{\"bench\": \"%s\", \"n\": %d, \"jdk\": \"%s\", \"rounds\": %d, \"block\": %d", bench, n,
                    Runtime.version(), rounds, block));
            for (int k = 0; k < NAMES.length; k++) {
                json.append(String.format(Locale.ROOT, ", \"%s_ms\": %.4f", NAMES[k],
                        median(Arrays.stream(times[k]).flatMapToDouble(Arrays::stream).toArray())));
            }
            json.append(String.format(Locale.ROOT, ", \"ndopt_update_over_c_update\": %.3f", ratio(times[0], times[1])));
            json.append(String.format(Locale.ROOT, ", \"ndopt_check_update_over_c_check_update\": %.3f}",
                    ratio(times[2], times[3])));
            System.out.println(json);
        }
    }

    /** The first element of a dense ND4J array as a C pointer (its view offset included). */
    private static MemorySegment address(INDArray a) {
        return MemorySegment.ofAddress(Segments.of(a).address());
    }

    private static double ratio(double[][] x, double[][] y) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = median(x[i]) / median(y[i]);
        return median(r);
    }

    private static double median(double[] x) {
        double[] c = x.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
