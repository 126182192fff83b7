package io.ndopt.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;

/** Seeded synthetic datasets: the same seed gives the same data on every machine and backend. */
public final class Synthetic {
    private Synthetic() {}

    /** Names accepted by {@link #named}. */
    public static final List<String> NAMES = List.of("moons", "spirals", "blobs", "sparse", "poly");

    /** A dataset by name with default sizes (the CLI's {@code --dataset}). */
    public static Dataset named(String name, long seed, DataType dt) {
        return switch (name.toLowerCase()) {
            case "moons" -> moons(1000, 0.2, 0.1, seed, dt);
            case "spirals" -> spirals(900, 3, 0.15, seed, dt);
            case "blobs" -> blobs(1000, 4, 8, 2.0, 0.1, seed, dt);
            case "sparse" -> sparseRegression(200, 100, 10, 0.5, seed, dt).data();
            case "poly" -> polynomial(200, 5, 0.1, x -> Math.sin(Math.PI * x), seed, dt).data();
            default -> throw new IllegalArgumentException("unknown dataset '" + name + "' (valid: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    static double gauss(SplittableRandom r) {
        double u1 = 1 - r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Sample points of a 1-D function with their polynomial features of degree 1..degree. */
    public record Poly(Dataset data, double[] x, double[] y) {}

    /** The polynomial basis of the features: monomials x^k, or Legendre polynomials sqrt(2k+1)·P_k(x). */
    public enum Basis { MONOMIAL, LEGENDRE }

    /** {@code n} points x ~ U(−1, 1), y = f(x) + noise·N(0,1), monomial features x^1..x^degree. */
    public static Poly polynomial(int n, int degree, double noise, DoubleUnaryOperator f, long seed, DataType dt) {
        return polynomial(n, degree, noise, f, Basis.MONOMIAL, seed, dt);
    }

    /** As {@link #polynomial(int, int, double, DoubleUnaryOperator, long, DataType)} in the given basis. */
    public static Poly polynomial(int n, int degree, double noise, DoubleUnaryOperator f, Basis basis,
            long seed, DataType dt) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] xs = new double[n], ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = r.nextDouble(-1, 1);
            ys[i] = f.applyAsDouble(xs[i]) + noise * gauss(r);
        }
        return new Poly(Dataset.of(features(xs, degree, basis), ys, dt), xs, ys);
    }

    public static double[][] features(double[] xs, int degree, Basis basis) {
        if (basis == Basis.MONOMIAL) return features(xs, degree);
        double[][] feats = new double[xs.length][degree];
        for (int i = 0; i < xs.length; i++) {
            double prev = 1, cur = xs[i];                       // P0, P1
            for (int k = 1; k <= degree; k++) {
                feats[i][k - 1] = Math.sqrt(2 * k + 1) * cur;   // unit mean square on U(−1, 1)
                double next = ((2 * k + 1) * xs[i] * cur - k * prev) / (k + 1);
                prev = cur;
                cur = next;
            }
        }
        return feats;
    }

    public static double[][] features(double[] xs, int degree) {
        double[][] feats = new double[xs.length][degree];
        for (int i = 0; i < xs.length; i++) {
            double p = 1;
            for (int d = 0; d < degree; d++) feats[i][d] = p *= xs[i];
        }
        return feats;
    }

    /** Sparse linear regression with a known support; coefficients ±U(1, 2) on {@code s} random features. */
    public record Sparse(Dataset data, double[] coef, int[] support) {}

    public static Sparse sparseRegression(int n, int p, int s, double noise, long seed, DataType dt) {
        if (s > p) throw new IllegalArgumentException("support size " + s + " exceeds features " + p);
        SplittableRandom r = new SplittableRandom(seed);
        int[] support = Arrays.copyOf(Dataset.permutation(p, r.nextLong()), s);
        Arrays.sort(support);
        double[] coef = new double[p];
        for (int j : support) coef[j] = (r.nextBoolean() ? 1 : -1) * r.nextDouble(1, 2);
        double[][] x = new double[n][p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) x[i][j] = gauss(r);
            double t = 0;
            for (int j : support) t += x[i][j] * coef[j];
            y[i] = t + noise * gauss(r);
        }
        return new Sparse(Dataset.of(x, y, dt), coef, support);
    }

    /** Two interleaving half circles, Gaussian noise, a fraction of labels flipped. */
    public static Dataset moons(int n, double noise, double labelNoise, long seed, DataType dt) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][2];
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 2;
            double t = Math.PI * r.nextDouble();
            x[i][0] = c == 0 ? Math.cos(t) : 1 - Math.cos(t);
            x[i][1] = c == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            x[i][0] += noise * gauss(r);
            x[i][1] += noise * gauss(r);
            lab[i] = r.nextDouble() < labelNoise ? 1 - c : c;
        }
        return Dataset.classification(x, lab, 2, dt);
    }

    /** {@code classes} interleaved spiral arms. */
    public static Dataset spirals(int n, int classes, double noise, long seed, DataType dt) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][2];
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            double t = r.nextDouble();
            double angle = c * 2 * Math.PI / classes + 4 * t + noise * gauss(r);
            x[i][0] = t * Math.cos(angle);
            x[i][1] = t * Math.sin(angle);
            lab[i] = c;
        }
        return Dataset.classification(x, lab, classes, dt);
    }

    /**
     * Gaussian blobs in {@code dim} dimensions with centres ~ N(0, spread²), a fraction of labels replaced at random.
     */
    public static Dataset blobs(int n, int centers, int dim, double spread, double labelNoise, long seed, DataType dt) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] mu = new double[centers][dim];
        for (double[] m : mu) for (int d = 0; d < dim; d++) m[d] = spread * gauss(r);
        double[][] x = new double[n][dim];
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % centers;
            for (int d = 0; d < dim; d++) x[i][d] = mu[c][d] + gauss(r);
            lab[i] = r.nextDouble() < labelNoise ? r.nextInt(centers) : c;
        }
        return Dataset.classification(x, lab, centers, dt);
    }
}
