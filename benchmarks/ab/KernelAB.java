import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.ndopt.internal.kernel.KernelScalars;
import io.ndopt.internal.kernel.KernelScalars.Family;
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
 * enters the ratio. Five steps take turns as in {@code FloorAB} (blocks of {@code block + 1} steps after a
 * 50 ms pause, first dropped, rotating order): ndopt's update kernel alone ({@code FusedKernels.apply}), C's
 * update alone, ndopt's Σg² pass + update, C's Σg² pass + update, and ndopt's update summing Σg² in its own pass
 * ({@code FusedKernels.applySummingSquares}: the kernel that runs under {@code nonfinite=propagate}). Prints one
 * JSON line per bench with the medians and, per pair, the median over rounds of the ratio of block medians.
 *
 * <p>BENCH: sgd_l2, adam, adamw, adamw_l1 (OptimizerStepBench's), or an element-wise rule at torch's defaults
 * and lr 1e-3 (rmsprop, adagrad, adadelta, adamax, nadam, radam, rprop, lion), its scalars worked out here as
 * {@code io.ndopt.optim.RuleScalars} does and as c_floor.c's {@code resolve_rule}.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx3g -cp target/benchmarks.jar \
 *     ab/KernelAB.java target/c/libc_floor.so BENCH [N [ROUNDS [BLOCK]]]</pre>
 */
public class KernelAB {
    private static final int QUIET_MS = 50;
    private static final String[] NAMES = {"ndopt_update", "c_update", "ndopt_check_update", "c_check_update",
        "ndopt_fold_update"};
    private static final java.util.List<String> RULES =
            java.util.List.of("rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam", "rprop", "lion");

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
        boolean sgd = bench.equals("sgd_l2"), rule = RULES.contains(bench);
        if (!sgd && !rule && !java.util.List.of("adam", "adamw", "adamw_l1").contains(bench)) {
            throw new IllegalArgumentException("unknown bench " + bench);
        }
        double decay = bench.startsWith("adamw") ? 1 - 1e-3 * 1e-2 : 1, l2 = sgd ? 1e-4 : 0;
        double threshold = bench.equals("adamw_l1") ? 1e-3 * 1e-5 : 0;
        Nd4j.getRandom().setSeed(1);
        INDArray p = FlatStore.alignedZeros(DataType.FLOAT, n).assign(Nd4j.rand(DataType.FLOAT, n).subi(0.5));
        INDArray g = FlatStore.alignedZeros(DataType.FLOAT, n).assign(Nd4j.rand(DataType.FLOAT, n).subi(0.5).muli(1e-2));
        INDArray m = FlatStore.alignedZeros(DataType.FLOAT, n), v = FlatStore.alignedZeros(DataType.FLOAT, n);
        int slots = rule ? ruleScalars(bench, 1).family().stateSlots(ruleScalars(bench, 1).flags()) : 0;
        INDArray[] state = sgd ? new INDArray[] {m} : rule ? (slots == 1 ? new INDArray[] {m} : new INDArray[] {m, v})
                : new INDArray[] {m, v, null};
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
                        KernelScalars s = rule ? ruleScalars(bench, ++t) : sgd   // SGD momentum 0.9, or Adam's defaults
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
                            case 3 -> sq = (double) cStep.invokeExact(name, 1, cp, cg, cm, cv, (long) n, t, 1);
                            default -> sq = FusedKernels.applySummingSquares(s, p, g, state);
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
            json.append(String.format(Locale.ROOT, ", \"ndopt_check_update_over_c_check_update\": %.3f",
                    ratio(times[2], times[3])));
            json.append(String.format(Locale.ROOT, ", \"ndopt_fold_update_over_c_update\": %.3f}",
                    ratio(times[4], times[1])));
            System.out.println(json);
        }
    }

    /**
     * An element-wise rule's launch scalars at step {@code t}: torch's defaults but lr 1e-3, no decay, L2 or L1
     * (the same numbers as c_floor.c's {@code resolve_rule}).
     */
    private static KernelScalars ruleScalars(String bench, long t) {
        double lr = 1e-3;
        int first = t == 1 ? KernelScalars.FIRST : 0;
        return switch (bench) {
            case "rmsprop" -> KernelScalars.rule(Family.RMSPROP, 1, 1, 0, 0, 0, 0.99, 1 - 0.99, 1e-8, -lr, 0);
            case "adagrad" -> KernelScalars.rule(Family.ADAGRAD, 1, 1, 0, 0, first, 0, 1e-10, -lr);
            case "adadelta" -> KernelScalars.rule(Family.ADADELTA, 1, 1, 0, 0, 0, 0.9, 1 - 0.9, 1e-6, -lr);
            case "adamax" -> KernelScalars.rule(Family.ADAMAX, 1, 1, 0, 0, 0, 0.9, 1 - 0.9, 0.999, 1e-8,
                    -lr / (1 - Math.pow(0.9, t)));
            case "nadam" -> {
                double prod = 1, mu = 0;
                for (long i = 1; i <= t; i++) prod *= (mu = 0.9 * (1 - 0.5 * Math.pow(0.96, i * 4e-3)));
                double next = 0.9 * (1 - 0.5 * Math.pow(0.96, (t + 1) * 4e-3));
                yield KernelScalars.rule(Family.NADAM, 1, 1, 0, 0, 0, 0.9, 1 - 0.9, 0.999, 1 - 0.999,
                        1 - Math.pow(0.999, t), 1e-8, -lr * (1 - mu) / (1 - prod), -lr * next / (1 - prod * next));
            }
            case "radam" -> {
                double b2t = Math.pow(0.999, t), rhoInf = 2 / (1 - 0.999) - 1, rho = rhoInf - 2 * t * b2t / (1 - b2t);
                boolean rect = rho > 5;
                double r = rect ? Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho)) : 0;
                yield KernelScalars.rule(Family.RADAM, 1, 1, 0, 0, rect ? KernelScalars.RECTIFY : 0, 0.9, 1 - 0.9,
                        0.999, 1 - 0.999, 1e-8, 1 - Math.pow(0.9, t), lr, Math.sqrt(1 - b2t), r);
            }
            case "rprop" -> KernelScalars.rule(Family.RPROP, 1, 1, 0, 0, first, 0.5, 1.2, 1e-6, 50, lr);
            case "lion" -> KernelScalars.rule(Family.LION, 1, 1, 0, 0, 0, 0.9, 1 - 0.9, 0.99, 1 - 0.99, -lr);
            default -> throw new IllegalArgumentException("unknown rule " + bench);
        };
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
