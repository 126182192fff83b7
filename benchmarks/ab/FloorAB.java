import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.ndopt.bench.OptimizerStepBench;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ndopt's step and the C floor's, interleaved in one process (JDK 22+): the floor is
 * benchmarks/c/c_floor.c built as a shared library and called through FFM on its own 64-byte-aligned
 * copies of the same float32 values. Each round times one ndopt step, one C step with the Σg² pass and
 * one without, each after a 2 ms pause (so neither side's spinning threads run into the other's step).
 * This machine's memory speed drifts by 2x within minutes, so separate processes minutes apart give
 * ratios anywhere from 0.8 to 2.7; paired rounds do not. Prints one JSON line per bench: medians and the
 * median of the per-round ratios.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp target/benchmarks.jar \
 *     ab/FloorAB.java target/c/libc_floor.so [N [ROUNDS [BENCHES]]]</pre>
 */
public class FloorAB {
    public static void main(String[] args) throws Throwable {
        Path lib = Path.of(args[0]).toAbsolutePath();
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        String[] benches = (args.length > 3 ? args[3] : "sgd_l2,adam,adamw,adamw_l1").split(",");
        MethodHandle cStep = Linker.nativeLinker().downcallHandle(
                SymbolLookup.libraryLookup(lib, Arena.global()).find("c_floor_step").orElseThrow(),
                FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG,
                        JAVA_LONG, JAVA_INT));
        for (String bench : benches) {
            Nd4j.getRandom().setSeed(1);
            INDArray p0 = Nd4j.rand(DataType.FLOAT, n).subi(0.5);
            INDArray g0 = Nd4j.rand(DataType.FLOAT, n).subi(0.5).muli(1e-2);
            Param param = Param.weight("w", p0.dup());
            Optimizer opt = OptimizerStepBench.recipe(bench).build(List.of(param));
            param.setGrad(g0.dup());
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment p = copy(arena, p0), g = copy(arena, g0), m = arena.allocate(4L * n, 64);
                MemorySegment v = arena.allocate(4L * n, 64), name = arena.allocateFrom(bench);
                long t = 0;
                long[] nd = new long[rounds], check = new long[rounds], update = new long[rounds];
                for (int r = -30; r < rounds; r++) {                 // 30 warm-up rounds
                    Thread.sleep(2);
                    long a = System.nanoTime();
                    opt.step();
                    long b = System.nanoTime();
                    Thread.sleep(2);
                    long c = System.nanoTime();
                    double sq = (double) cStep.invokeExact(name, 1, p, g, m, v, (long) n, ++t, 1);
                    long d = System.nanoTime();
                    Thread.sleep(2);
                    long e = System.nanoTime();
                    sq += (double) cStep.invokeExact(name, 1, p, g, m, v, (long) n, ++t, 0);
                    long f = System.nanoTime();
                    if (!Double.isFinite(sq)) throw new IllegalStateException("C floor: non-finite Σg²");
                    if (r >= 0) {
                        nd[r] = b - a;
                        check[r] = d - c;
                        update[r] = f - e;
                    }
                }
                double[] vsCheck = new double[rounds], vsUpdate = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    vsCheck[r] = (double) nd[r] / check[r];
                    vsUpdate[r] = (double) nd[r] / update[r];
                }
                System.out.printf(Locale.ROOT, "{\"bench\": \"%s\", \"n\": %d, \"rounds\": %d, \"ndopt_ms\": %.4f, "
                                + "\"c_floor_check_ms\": %.4f, \"c_floor_ms\": %.4f, \"ndopt_over_c_floor_check\": %.3f, "
                                + "\"ndopt_over_c_floor\": %.3f}%n", bench, n, rounds, median(nd) / 1e6, median(check) / 1e6,
                        median(update) / 1e6, median(vsCheck), median(vsUpdate));
            }
        }
    }

    private static MemorySegment copy(Arena arena, INDArray a) {
        float[] values = a.toFloatVector();
        MemorySegment s = arena.allocate(4L * values.length, 64);
        MemorySegment.copy(values, 0, s, JAVA_FLOAT, 0, values.length);
        return s;
    }

    private static double median(long[] x) {
        long[] c = x.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2.0;
    }

    private static double median(double[] x) {
        double[] c = x.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2.0;
    }
}
