import io.ndopt.bench.OptimizerStepBench;
import io.ndopt.internal.kernel.FusedKernels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Paired benchmark of one optimizer step: ndopt (one tensor and 1000 tensors), DL4J and the C floor (update
 * only, and with the Σg² pass), taking turns in rounds on the same machine, so that every ratio comes from
 * steps timed within the same second. This machine's memory speed drifts by up to 2x within minutes; JMH
 * runs and C runs minutes apart gave ratios anywhere from 0.8 to 2.7 for the same code.
 *
 * <p>Each round runs every implementation once, in an order that rotates from round to round, as a block of
 * {@code block + 1} back-to-back steps after a {@value #QUIET_MS} ms pause; the first step of a block is dropped
 * (it wakes the block's parked threads), the others are timed. A step is timed by the caller
 * around {@code step()}: for the C floor, by the C process around its own step (benchmarks/c/c_floor.c in
 * its serve mode, fed one line per block; the JVM waits on the pipe meanwhile). Prints one JSON line per
 * bench: each implementation's median ms per step and, per ratio, the median over rounds of the ratio of
 * the two block medians. Run one bench per JVM (as JMH forks do): the JIT compiles a rule for what it has
 * seen, and {@code benchmarks/run --ab} starts one JVM per bench.
 *
 * <pre>java --add-modules jdk.incubator.vector -Xmx3g -Dorg.bytedeco.javacpp.maxbytes=6G -cp target/benchmarks.jar \
 *     ab/FloorAB.java target/c/c_floor BENCH [N [ROUNDS [BLOCK [IMPLS]]]]</pre>
 * IMPLS: a comma list of ndopt, ndopt_propagate (NonFinitePolicy.PROPAGATE: no check before the update, Σg²
 * summed in its pass), ndopt1000, dl4j (default all four); the C floor always runs.
 */
public class FloorAB {
    /**
     * Pause before each block. OpenMP's workers (the C floor's, and ND4J's under DL4J) spin for milliseconds
     * after their last parallel region; without the pause they took a core from the next block's first steps
     * (ndopt's sgd_l2 step timed 3.3 ms in blocks right after the C floor, 2.6 ms back to back on its own).
     */
    private static final int QUIET_MS = 50;
    public static void main(String[] args) throws Exception {
        if (args.length < 2) throw new IllegalArgumentException("usage: FloorAB C_FLOOR BENCH [N [ROUNDS [BLOCK [IMPLS]]]]");
        String floor = args[0], bench = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 10_000_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int block = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        List<String> impls = List.of((args.length > 5 ? args[5] : "ndopt,ndopt_propagate,ndopt1000,dl4j").split(","));
        Map<String, Runnable> steps = new LinkedHashMap<>();
        for (String impl : impls) steps.put(impl, javaStep(impl, bench, n));
        Process c = new ProcessBuilder(floor, "serve", bench, "flat", Integer.toString(n), "float32")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PrintWriter toC = new PrintWriter(c.getOutputStream(), true, StandardCharsets.US_ASCII);
        BufferedReader fromC = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
        List<String> names = new ArrayList<>(steps.keySet());
        names.add("c_floor");
        names.add("c_floor_check");
        int warmup = 5;
        Map<String, double[][]> times = new LinkedHashMap<>();          // impl -> [round][step in block]
        for (String name : names) times.put(name, new double[rounds][block]);
        for (int r = -warmup; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get(Math.floorMod(r + k, names.size()));
                Thread.sleep(QUIET_MS);                   // the previous block's threads stop spinning
                double[] t;
                if (name.startsWith("c_floor")) {
                    toC.println((block + 1) + " " + (name.equals("c_floor_check") ? 1 : 0));
                    String line = fromC.readLine();
                    if (line == null) throw new IllegalStateException("c_floor stopped (see its message above)");
                    t = Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
                } else {
                    Runnable step = steps.get(name);
                    t = new double[block + 1];
                    for (int i = 0; i <= block; i++) {
                        long a = System.nanoTime();
                        step.run();
                        t[i] = (System.nanoTime() - a) / 1e6;
                    }
                }
                if (r >= 0) System.arraycopy(t, 1, times.get(name)[r], 0, block);
            }
        }
        toC.close();
        c.waitFor();
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "{\"bench\": \"%s\", \"n\": %d, \"dtype\": \"float32\", \"jdk\": \"%s\", \"kernels\": \"%s\", "
                        + "\"rounds\": %d, \"block\": %d", bench, n, Runtime.version(), FusedKernels.status(), rounds, block));
        for (String name : names) json.append(String.format(Locale.ROOT, ", \"%s_ms\": %.4f", name, median(flat(times.get(name)))));
        ratio(json, times, "ndopt", "c_floor");
        ratio(json, times, "ndopt", "c_floor_check");
        ratio(json, times, "dl4j", "ndopt");
        ratio(json, times, "dl4j", "c_floor");
        ratio(json, times, "ndopt_propagate", "c_floor");
        ratio(json, times, "ndopt_propagate", "ndopt");
        ratio(json, times, "dl4j", "ndopt_propagate");
        ratio(json, times, "ndopt1000", "ndopt");
        ratio(json, times, "ndopt1000", "c_floor");
        System.out.println(json.append('}'));
    }

    /** ndopt's or DL4J's step on its own arrays, as the JMH bench sets them up. */
    private static Runnable javaStep(String impl, String bench, int n) {
        OptimizerStepBench b = new OptimizerStepBench();
        b.bench = bench;
        b.n = n;
        b.dtype = "float32";
        b.impl = impl.equals("ndopt_propagate") ? "ndopt-propagate" : impl.startsWith("ndopt") ? "ndopt" : impl;
        b.layout = impl.equals("ndopt1000") ? "tensors1000" : "flat";
        if (!List.of("ndopt", "ndopt_propagate", "ndopt1000", "dl4j").contains(impl)) {
            throw new IllegalArgumentException("unknown impl " + impl);
        }
        b.setup();
        return b::step;
    }

    /** "a_over_b": the median over rounds of (a's block median / b's block median); absent if either did not run. */
    private static void ratio(StringBuilder json, Map<String, double[][]> times, String a, String b) {
        if (!times.containsKey(a) || !times.containsKey(b)) return;
        double[][] x = times.get(a), y = times.get(b);
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = median(x[i]) / median(y[i]);
        json.append(String.format(Locale.ROOT, ", \"%s_over_%s\": %.3f", a, b, median(r)));
    }

    private static double[] flat(double[][] x) {
        return Arrays.stream(x).flatMapToDouble(Arrays::stream).toArray();
    }

    private static double median(double[] x) {
        double[] c = x.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
