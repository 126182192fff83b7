package io.ndopt.glm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The path's progress listener: one call per α of every path (each CV fold's and the full data's), serialized
 * ({@code done} 1, 2, ..., total, never two calls at once, although the folds run in parallel), and results equal bit
 * for bit with and without a listener — for the lasso, the elastic net, ridge (closed form and non-negative), on the
 * Gram matrix (n ≥ p) and on X (p > n).
 */
class PathListenerTest {
    /** Records the calls and fails on a concurrent one. */
    private static final class Recorder implements PathListener {
        final List<int[]> calls = new ArrayList<>();
        final AtomicInteger inside = new AtomicInteger();
        volatile boolean overlapped;

        @Override public void onFit(int done, int total) {
            if (inside.incrementAndGet() != 1) overlapped = true;
            Thread.onSpinWait();
            calls.add(new int[] {done, total});
            inside.decrementAndGet();
        }

        void assertCounted(int total) {
            assertTrue(!overlapped, "two calls at once");
            assertEquals(total, calls.size());
            for (int i = 0; i < total; i++) {
                assertArrayEquals(new int[] {i + 1, total}, calls.get(i), "call " + i);
            }
        }
    }

    private static Design wide() {           // p > n: residual updates, no Gram matrix, folds without FoldMoments
        Random r = new Random(7);
        int n = 30, p = 50;
        double[][] rows = new double[n][p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) rows[i][j] = r.nextGaussian();
            y[i] = 2 * rows[i][0] - rows[i][3] + 0.1 * r.nextGaussian();
        }
        return Design.ofRows(rows, y);
    }

    private static void assertSame(CoefPath a, CoefPath b) {
        assertArrayEquals(a.lambdas(), b.lambdas());
        assertEquals(a.size(), b.size());
        for (int k = 0; k < a.size(); k++) assertArrayEquals(a.coef()[k], b.coef()[k], 0.0, "coef at λ " + k);
        assertArrayEquals(a.intercept(), b.intercept(), 0.0);
        assertArrayEquals(a.sweeps(), b.sweeps());
    }

    @Test
    void aPathCallsOncePerAlphaAndComputesTheSame() {
        Design d = Datasets.diabetes();
        double[] alphas = {0.01, 1, 0.1, 10};
        for (PathSpec spec : List.of(PathSpec.lasso(), PathSpec.elasticNet(0.3), PathSpec.ridge(),
                PathSpec.ridge().withNonNegative(true))) {
            Recorder rec = new Recorder();
            assertSame(Glm.path(d, spec, alphas), Glm.path(d, spec, alphas, rec));
            rec.assertCounted(4);
        }
        Recorder rec = new Recorder();
        CoefPath byDefault = Glm.path(d, PathSpec.lasso(), rec);
        assertSame(Glm.path(d, PathSpec.lasso()), byDefault);
        rec.assertCounted(Grid.DEFAULT_COUNT);
        Recorder w = new Recorder();
        assertSame(Glm.path(wide(), PathSpec.lasso(), alphas), Glm.path(wide(), PathSpec.lasso(), alphas, w));
        w.assertCounted(4);
    }

    @Test
    void crossValidationCountsEveryFoldsFitsSeriallyAndComputesTheSame() {
        for (Design d : List.of(Datasets.diabetes(), wide())) {
            double[] alphas = IntStream.range(0, 20).mapToDouble(i -> Math.pow(10, -2 + i / 5.0)).toArray();
            Folds folds = Folds.shuffled(d.n(), 5, 42);
            Recorder rec = new Recorder();
            Glm.CvFit plain = Glm.pathWithCv(d, PathSpec.lasso(), alphas, folds);
            Glm.CvFit heard = Glm.pathWithCv(d, PathSpec.lasso(), alphas, folds, rec);
            assertSame(plain.path(), heard.path());
            assertArrayEquals(plain.cv().mean(), heard.cv().mean(), 0.0);
            assertArrayEquals(plain.cv().se(), heard.cv().se(), 0.0);
            rec.assertCounted(6 * 20);                                  // 5 folds and the full data, 20 α each
            Recorder cv = new Recorder();
            CvResult only = Glm.crossValidate(d, PathSpec.lasso(), alphas, folds, cv);
            assertArrayEquals(plain.cv().mean(), only.mean(), 0.0);
            cv.assertCounted(5 * 20);
        }
    }

    @Test
    void aListenersExceptionEndsTheFitAndANullListenerIsRefused() {
        Design d = Datasets.diabetes();
        PathListener stop = (done, total) -> {
            if (done == 7) throw new IllegalStateException("cancelled at " + done + "/" + total);
        };
        var e = assertThrows(IllegalStateException.class, () -> Glm.pathWithCv(d, PathSpec.lasso(), null,
                Folds.shuffled(d.n(), 3, 1), stop));
        assertEquals("cancelled at 7/400", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Glm.path(d, PathSpec.lasso(), (PathListener) null));
    }
}
