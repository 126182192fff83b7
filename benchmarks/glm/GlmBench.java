import io.ndopt.glm.CoefPath;
import io.ndopt.glm.CvResult;
import io.ndopt.glm.Design;
import io.ndopt.glm.Folds;
import io.ndopt.glm.Glm;
import io.ndopt.glm.PathSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * ndopt side of run_glm_bench.sh (run as a source file): times the 100-α lasso path (tol 1e-6, no
 * standardization, sklearn's grid) and 5-fold CV (contiguous folds = sklearn KFold(5)) followed by
 * the full-data path, on the data of make_data.py. Prints "RESULT task workload run wall-seconds cpu-seconds" lines
 * and writes the solutions (DIR/ndopt.WORKLOAD.path.f64, .cv.f64) for compare.py.
 * Usage: java -cp CLASSPATH GlmBench.java DIR WORKLOAD TASK REPEATS
 */
public class GlmBench {
    public static void main(String[] a) throws IOException {
        Path dir = Path.of(a[0]);
        String w = a[1], task = a[2];
        int repeats = Integer.parseInt(a[3]);
        String[] shape = Files.readString(dir.resolve(w + ".shape")).trim().split(" ");
        int n = Integer.parseInt(shape[0]), p = Integer.parseInt(shape[1]);
        Design d = new Design(read(dir.resolve(w + ".X.f64")), n, p, read(dir.resolve(w + ".y.f64")), null,
                IntStream.range(0, p).mapToObj(j -> "x" + j).toList());
        PathSpec spec = PathSpec.lasso().withStandardize(false).withTol(1e-6);
        for (int r = 0; r <= repeats; r++) {   // run 0 is the cold (JIT warm-up) run
            long t0 = System.nanoTime(), c0 = cpu();
            CvResult cv = null;
            CoefPath path;
            if (task.equals("cv")) {
                Glm.CvFit f = Glm.pathWithCv(d, spec, null, Folds.contiguous(n, 5));
                path = f.path();
                cv = f.cv();
            } else {
                path = Glm.path(d, spec);
            }
            double s = (System.nanoTime() - t0) / 1e9, c = (cpu() - c0) / 1e9;
            System.out.printf("RESULT %s %s %d %.4f %.4f%n", task, w, r, s, c);
            if (r == repeats) {
                write(dir.resolve("ndopt." + w + "." + task + ".path.f64"), Arrays.stream(path.coef()).flatMapToDouble(Arrays::stream).toArray());
                write(dir.resolve("ndopt." + w + "." + task + ".alphas.f64"), path.lambdas());
                if (cv != null) write(dir.resolve("ndopt." + w + ".cv.f64"), Arrays.stream(cv.foldMse()).flatMapToDouble(Arrays::stream).toArray());
                int nc = 0;
                for (boolean ok : path.converged()) if (!ok) nc++;
                System.out.printf("INFO %s %s not-converged %d, nonzeros at last alpha %d%n", task, w, nc, p - path.zeroCount(path.size() - 1));
            }
        }
    }

    /** CPU time of the whole process (all threads: solver, OpenBLAS, GC, JIT), ns. */
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double[] read(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(v);
        return v;
    }

    static void write(Path f, double[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        Files.write(f, b.array());
    }
}
