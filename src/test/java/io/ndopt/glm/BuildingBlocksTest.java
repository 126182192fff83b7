package io.ndopt.glm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed values for the small pieces: CV summary, folds, grids, duality gap, Cholesky, Gram, validation. */
class BuildingBlocksTest {
    @Test
    void cvSummaryByHand() {
        // 3 folds × 4 lambdas (descending); means 4, 2, 1.5, 3; the minimum is index 2
        double[][] mse = {{5, 2, 1, 3}, {4, 3, 2, 3}, {3, 1, 1.5, 3}};
        CvResult cv = CvResult.of(new double[] {8, 4, 2, 1}, mse);
        assertArrayEquals(new double[] {4, 2, 1.5, 3}, cv.mean(), 1e-15);
        // se = sample sd / sqrt(3): lambda 2 → values 1, 2, 1.5 → sd 0.5 → se 0.5/sqrt(3) = 0.2887
        assertEquals(0.5 / Math.sqrt(3), cv.se()[2], 1e-15);
        assertEquals(2, cv.lambdaMin(), 0.0);
        // one SE above the minimum: 1.5 + 0.2887 = 1.789 < 2 (mean at lambda 4) → lambda_1se stays at 2
        assertEquals(2, cv.lambda1se(), 0.0);
        CvResult wide = CvResult.of(new double[] {8, 4, 2, 1},
                new double[][] {{5, 2, 0, 3}, {4, 2, 4, 3}, {3, 2, 0.5, 3}});
        // minimum at lambda 2 (mean 1.5, se = sd(0,4,0.5)/sqrt(3) = 1.258); lambda 4 has mean 2 <= 2.758 →
        // 1-SE choice is 4
        assertEquals(4, wide.lambda1se(), 0.0);
    }

    @Test
    void foldsMatchKFold() {
        Folds f = Folds.contiguous(11, 3);   // sklearn KFold(3) on 11 rows: sizes 4, 4, 3
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2}, f.fold());
        Folds s = Folds.shuffled(11, 3, 7);
        int[] count = new int[3];
        for (int v : s.fold()) count[v]++;
        assertArrayEquals(new int[] {4, 4, 3}, count);
        assertThrows(IllegalArgumentException.class, () -> Folds.contiguous(5, 1));
        assertThrows(IllegalArgumentException.class, () -> Folds.contiguous(3, 4));
    }

    @Test
    void gridsAreLogSpacedAndDescending() {
        assertArrayEquals(new double[] {100, 10, 1, 0.1}, Grid.logSpaced(100, 0.1, 4), 1e-12);
        assertArrayEquals(new double[] {1, 0.1, 0.01}, Grid.parse("0.01:1:3"), 1e-15);
        for (String bad : new String[] {"1:0.1:3", "0:1:3", "1:2", "a:b:c", "1:2:1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grid.parse(bad));
            assertTrue(e.getMessage().contains("--grid"), e.getMessage());
        }
    }

    @Test
    void dualityGapIsZeroAtTheOptimumAndBoundsSuboptimality() {
        // one standardized feature: lasso solution is S(c, λ); the gap must vanish there and bound P(β)
        // − P(β*) elsewhere
        double[][] x = {{1}, {-1}, {1}, {-1}};
        double[] y = {3, -1, 2, 0};
        Prepared d = new Prepared(Design.ofRows(x, y), true);
        double c = d.xy[0], lam = 0.5, opt = Math.signum(c) * Math.max(Math.abs(c) - lam, 0);
        for (double beta : new double[] {opt, 0, 2 * opt, -1}) {
            double r2 = 0, ry = 0;
            for (int i = 0; i < 4; i++) { double r = d.y[i] - d.x[i] * beta; r2 += r * r / 4; ry += r * d.y[i] / 4; }
            double q = c - d.diag[0] * beta;
            double gap = DualityGap.of(new double[] {q}, new double[] {beta}, new double[] {lam}, new double[] {0},
                    false, r2, ry);
            double p = 0.5 * r2 + lam * Math.abs(beta), pOpt = primal(d, opt, lam);
            if (beta == opt) assertEquals(0, gap, 1e-14);
            else assertTrue(gap >= p - pOpt - 1e-14 && p - pOpt > 0, "gap " + gap + " < suboptimality " + (p - pOpt));
        }
    }

    private static double primal(Prepared d, double beta, double lam) {
        double s = 0;
        for (int i = 0; i < d.n; i++) { double r = d.y[i] - d.x[i] * beta; s += r * r; }
        return s / (2 * d.n) + lam * Math.abs(beta);
    }

    @Test
    void choleskySolvesByHand() {
        // A = [[4, 2], [2, 3]], b = [2, 1]: x = [0.5, 0]
        assertArrayEquals(new double[] {0.5, 0},
                Cholesky.solve(new double[] {4, 2, 2, 3}, 2, new double[] {2, 1}), 1e-15);
        assertThrows(IllegalArgumentException.class,
                () -> Cholesky.solve(new double[] {1, 2, 2, 1}, 2, new double[] {1, 1}));
    }

    @Test
    void blasGramEqualsReference() {
        Design d = Kkt.random(9, 37, 13, false);
        double[] ref = Gram.reference(d.x(), 37, 13);
        assertArrayEquals(ref, Gram.compute(d.x(), 37, 13), 1e-12);
        Prepared full = new Prepared(d, true), gramOnly = new Prepared(d, true, true);
        assertArrayEquals(Gram.reference(full.x, 37, 13), gramOnly.gram, 1e-12);
        assertArrayEquals(full.xy, gramOnly.xy, 1e-15);
    }

    /** The CV training Grams from fold moments equal preparing each training set directly (weighted, with offsets). */
    @Test
    void foldMomentsEqualDirectPreparation() {
        Design d = Kkt.random(17, 53, 6, true);
        double[] x = d.x().clone();
        Arrays.fill(x, 2 * 53, 3 * 53, 4.25);   // a constant column
        d = new Design(x, 53, 6, d.y(), d.weights(), d.names());
        Folds folds = Folds.shuffled(53, 4, 3);
        for (boolean std : new boolean[] {true, false}) {
            Prepared[] fast = FoldMoments.prepare(d, folds, std);
            for (int f = 0; f < 4; f++) {
                Prepared ref = new Prepared(d.rows(folds.rows(f, false)), std);
                Prepared got = fast[f];
                assertEquals(ref.n, got.n);
                assertArrayEquals(Gram.reference(ref.x, ref.n, ref.p), got.gram, 1e-12, "gram fold " + f);
                assertArrayEquals(ref.xy, got.xy, 1e-12);
                assertArrayEquals(ref.diag, got.diag, 1e-12);
                assertArrayEquals(ref.mean, got.mean, 1e-12);
                assertArrayEquals(ref.scale, got.scale, 1e-12);
                assertEquals(ref.yMean, got.yMean, 1e-12);
                assertEquals(ref.yy, got.yy, 1e-10);
                assertEquals(ref.weightSum, got.weightSum, 1e-12);
            }
        }
    }

    @Test
    void validationNamesTheCulprit() {
        assertThrows(IllegalArgumentException.class, () -> new PathSpec(Model.LASSO, 0.5, true, 1e-4, 10, false, null));
        assertThrows(IllegalArgumentException.class, () -> PathSpec.elasticNet(0));
        assertThrows(IllegalArgumentException.class, () -> PathSpec.lasso().withTol(0));
        assertThrows(IllegalArgumentException.class, () -> PathSpec.lasso().withPenaltyFactors(new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> PathSpec.lasso().withPenaltyFactors(new double[] {1, -1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Design.ofRows(new double[][] {{1}, {Double.NaN}}, new double[] {1, 2}, null, List.of("dose")));
        assertTrue(e.getMessage().contains("dose"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Design.ofRows(new double[][] {{1}, {2}}, new double[] {1, 2}, new double[] {1, -1},
                List.of("a")));
        Design d = Kkt.random(1, 20, 3, false);
        assertThrows(IllegalArgumentException.class, () -> Glm.path(d, PathSpec.lasso(), new double[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> Glm.path(d, PathSpec.lasso(), new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> Glm.path(d, PathSpec.lasso().withPenaltyFactors(new double[] {1, 1})));
        Design flat = Design.ofRows(new double[][] {{1}, {2}, {3}}, new double[] {5, 5, 5});
        e = assertThrows(IllegalArgumentException.class, () -> Glm.path(flat, PathSpec.lasso()));
        assertTrue(e.getMessage().contains("lambda_max"), e.getMessage());
        assertEquals(Model.ELASTIC_NET, Model.parse("elasticnet"));
        e = assertThrows(IllegalArgumentException.class, () -> Model.parse("lars"));
        assertTrue(e.getMessage().contains("lasso, elasticnet, ridge"), e.getMessage());
    }
}
