package io.ndopt.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Welford within parts and Chan's merge across them equal exact arithmetic to 1e-12, even with a large offset. */
class ColumnMomentsTest {
    @Test void mergedPartsMatchExactMoments() {
        SplittableRandom r = new SplittableRandom(3);
        double[] v = new double[10_001];
        for (int i = 0; i < v.length; i++) v[i] = 1e8 + r.nextDouble() * 0.5;
        ColumnMoments all = new ColumnMoments(1);
        int[] cuts = {0, 1, 2, 3000, 3001, 7777, v.length};      // parts of 1, 1, 2997, 1, 4776, 2224 rows
        for (int k = 0; k + 1 < cuts.length; k++) {
            ColumnMoments part = new ColumnMoments(all);
            for (int i = cuts[k]; i < cuts[k + 1]; i++) part.add(v, i);
            all.merge(part);
        }
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal sum = BigDecimal.ZERO;
        for (double x : v) sum = sum.add(new BigDecimal(x));
        BigDecimal mean = sum.divide(BigDecimal.valueOf(v.length), mc), ss = BigDecimal.ZERO;
        for (double x : v) ss = ss.add(new BigDecimal(x).subtract(mean).pow(2), mc);
        double std = Math.sqrt(ss.divide(BigDecimal.valueOf(v.length), mc).doubleValue());
        assertEquals(v.length, all.n);
        assertEquals(mean.doubleValue(), all.mean(0), 1e-12 * mean.doubleValue());
        assertEquals(std, all.std(0), 1e-12 * std);
    }
}
