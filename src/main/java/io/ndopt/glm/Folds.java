package io.ndopt.glm;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Assignment of n rows to k cross-validation folds: {@code fold[i]} in {@code [0, k)}. Contiguous
 * blocks are scikit-learn's {@code KFold(k)} (the first {@code n mod k} folds one row larger);
 * {@link #shuffled} applies them to a seeded permutation ({@code KFold(shuffle=True)}).
 */
public record Folds(int[] fold, int k) {
    public Folds {
        if (k < 2) throw new IllegalArgumentException("need at least 2 folds, got " + k);
        if (fold.length < k) {
            throw new IllegalArgumentException(k + " folds need at least " + k + " rows, got " + fold.length);
        }
        int[] count = new int[k];
        for (int f : fold) {
            if (f < 0 || f >= k) throw new IllegalArgumentException("fold index " + f + " outside [0, " + k + ")");
            count[f]++;
        }
        for (int f = 0; f < k; f++) if (count[f] == 0) throw new IllegalArgumentException("fold " + f + " is empty");
        fold = fold.clone();
    }

    public static Folds contiguous(int n, int k) {
        if (k < 2 || k > n) throw new IllegalArgumentException("folds must be in [2, n = " + n + "], got " + k);
        int[] f = new int[n];
        int i = 0;
        for (int b = 0; b < k; b++) for (int s = n / k + (b < n % k ? 1 : 0); s > 0; s--) f[i++] = b;
        return new Folds(f, k);
    }

    public static Folds shuffled(int n, int k, long seed) {
        Folds c = contiguous(n, k);
        int[] perm = permutation(n, seed), f = new int[n];
        for (int i = 0; i < n; i++) f[perm[i]] = c.fold[i];
        return new Folds(f, k);
    }

    /** A seeded Fisher–Yates permutation of {@code 0..n-1}. */
    public static int[] permutation(int n, long seed) {
        int[] p = IntStream.range(0, n).toArray();
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = p[i]; p[i] = p[j]; p[j] = t; }
        return p;
    }

    int[] rows(int f, boolean inFold) {
        return IntStream.range(0, fold.length).filter(i -> (fold[i] == f) == inFold).toArray();
    }

    @Override public boolean equals(Object o) {
        return o instanceof Folds x && k == x.k && Arrays.equals(fold, x.fold);
    }

    @Override public int hashCode() { return Arrays.hashCode(fold) * 31 + k; }
    @Override public String toString() { return "Folds[n=" + fold.length + ", k=" + k + "]"; }
}
