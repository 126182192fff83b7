package io.ndopt.glm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Standardized paths are invariant to a column's scale: a feature ×1e-150 or ×1e200 gets the same fit as
 * unscaled, its coefficient divided by the factor (issue 25: it used to be dropped as "constant" or
 * overflow to a zero coefficient with R² ≈ 0.3). What cannot work is refused by the column's name.
 */
class ExtremeScaleTest {
    private static final double[] ALPHAS = {0.1, 0.01, 0.001};

    /** y = 3·x0 + 2·x1 − x2 + noise: x0 carries most of the signal. */
    private static Design design(double factor) {
        return design(factor, 1);
    }

    private static Design design(double factor, double yFactor) {
        Random r = new Random(7);
        int n = 200;
        double[][] rows = new double[n][3];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian(), b = r.nextGaussian(), c = r.nextGaussian();
            rows[i] = new double[] {a * factor, b, c};
            y[i] = (3 * a + 2 * b - c + 0.1 * r.nextGaussian()) * yFactor;
        }
        return Design.ofRows(rows, y, null, List.of("big_or_small", "b", "c"));
    }

    @Test
    void pathSurvivesAnyFiniteColumnScale() {
        Design plain = design(1);
        CoefPath ref = Glm.path(plain, PathSpec.lasso(), ALPHAS);
        double[] r2 = ref.r2(plain);
        assertTrue(r2[2] > 0.99, "the unscaled problem fits: " + r2[2]);
        for (double factor : new double[] {1e-150, 1e200, 0x1p-1000, 1e300}) {
            Design d = design(factor);
            for (CoefPath p : List.of(Glm.path(d, PathSpec.lasso(), ALPHAS),
                    Glm.pathWithCv(d, PathSpec.elasticNet(0.5), ALPHAS, Folds.shuffled(d.n(), 4, 1)).path())) {
                double[] got = p.r2(d);
                CoefPath same = p.spec().equals(ref.spec()) ? ref : Glm.path(plain, p.spec(), ALPHAS);
                for (int k = 0; k < ALPHAS.length; k++) {
                    assertEquals(same.r2(plain)[k], got[k], 1e-9, "R² at ×" + factor + ", alpha " + ALPHAS[k]);
                    assertEquals(same.coef()[k][0], p.coef()[k][0] * factor, 1e-9 * Math.abs(same.coef()[k][0]),
                            "coefficient in original units at ×" + factor);
                    assertEquals(same.intercept()[k], p.intercept()[k], 1e-9);
                }
            }
            CvResult cv = Glm.crossValidate(d, PathSpec.lasso(), ALPHAS, Folds.shuffled(d.n(), 4, 1));
            CvResult cvRef = Glm.crossValidate(plain, PathSpec.lasso(), ALPHAS, Folds.shuffled(d.n(), 4, 1));
            for (int k = 0; k < ALPHAS.length; k++) assertEquals(cvRef.mean()[k], cv.mean()[k], 1e-9 * cvRef.mean()[k]);
        }
    }

    /** R² is scale-free: a target ×1e200 (sums of squares overflow a double) gives the unscaled R², not NaN. */
    @Test
    void rSquaredSurvivesAnyFiniteTargetScale() {
        Design plain = design(1);
        double[] want = Glm.path(plain, PathSpec.lasso(), ALPHAS).r2(plain);
        for (double yFactor : new double[] {1e200, 0x1p600}) {
            Design d = design(1, yFactor);
            double[] alphas = ALPHAS.clone();
            for (int k = 0; k < alphas.length; k++) alphas[k] *= yFactor;
            double[] got = Glm.path(d, PathSpec.lasso(), alphas).r2(d);
            for (int k = 0; k < ALPHAS.length; k++) {     // to the solver's tolerance; NaN before (Σ of squares overflowed)
                assertEquals(want[k], got[k], 1e-5, "R² at y ×" + yFactor);
            }
        }
    }

    @Test
    void columnsNoScalingRescuesAreRefusedByName() {
        var e = assertThrows(UnusableFeatureException.class,
                () -> Glm.path(design(1e200), PathSpec.lasso().withStandardize(false), ALPHAS));
        assertEquals("big_or_small", e.feature());
        assertTrue(e.getMessage().contains("without standardization"), e.getMessage());
        var s = assertThrows(UnusableFeatureException.class, () -> Glm.path(design(1e-310), PathSpec.lasso(), ALPHAS));
        assertTrue(s.getMessage().contains("'big_or_small'") && s.getMessage().contains("smallest normal double"),
                s.getMessage());
    }

    @Test
    void aConstantColumnStillGetsAZeroCoefficient() {
        Design d = design(1);
        double[] x = d.x().clone();
        for (int i = 0; i < d.n(); i++) x[d.n() + i] = 1e-200;      // column b constant, tiny
        Design c = new Design(x, d.n(), d.p(), d.y(), null, d.names());
        CoefPath p = Glm.path(c, PathSpec.lasso(), ALPHAS);
        for (int k = 0; k < ALPHAS.length; k++) assertEquals(0.0, p.coef()[k][1]);
    }
}
