package io.ndopt.regularize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The fast group prox and factor soft threshold equal the ND4J reference (float64 1e-12, float32 1e-5), on views too.
 */
class FlatGroupProxTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        long[][] shapes = {{1, 1}, {7, 3}, {1, 33}, {33, 1}, {64, 130}};
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (long[] s : shapes) {
                out.add(Arguments.of(dt, s, Grouping.rows()));
                out.add(Arguments.of(dt, s, Grouping.columns()));
                int n = (int) (s[0] * s[1]);
                int[][] groups = n < 3 ? new int[][] {{0}}
                        : new int[][] {{n - 1, 0}, {1}, range(2, Math.min(n - 1, 40))};
                out.add(Arguments.of(dt, s, Grouping.indices(groups)));
            }
        }
        return out.stream();
    }

    private static int[] range(int from, int to) {
        return IntStream.range(from, Math.max(from + 1, to)).toArray();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void fastEqualsReference(DataType dt, long[] shape, Grouping grouping) {
        Random r = new Random(11);
        // a view at an offset inside a larger buffer, as parameters are inside the optimizer's flat store
        long n = shape[0] * shape[1];
        INDArray buffer = TestArrays.randn(dt, r, n + 5).muli(0.5);
        INDArray fast = buffer.get(NDArrayIndex.interval(3, 3 + n)).reshape('c', shape);
        assertTrue(FlatGroupProx.supports(fast));
        INDArray ref = fast.dup();
        int groups = grouping.count("w", shape);
        double[] c = new double[groups];
        for (int g = 0; g < groups; g++) {
            c[g] = g % 4 == 3 ? 0 : 0.5 + r.nextDouble() * Math.sqrt(grouping.size(shape, g));
        }
        double t = 0.4;
        INDArray factors = Transforms.max(TestArrays.randn(dt, r, shape).muli(0.7).addi(1), 0.0, false);
        INDArray before = buffer.dup();

        GroupProx.softThresholdi(ref, factors, 0.05);
        FlatGroupProx.softThresholdi(fast, factors, 0.05);
        GroupProx.groupShrinki(ref, grouping, c, t);
        FlatGroupProx.groupShrinki(fast, grouping, c, t, new double[groups]);

        double tol = dt == DataType.DOUBLE ? 1e-12 : 1e-5;
        double[] a = ref.ravel().toDoubleVector(), b = fast.ravel().toDoubleVector();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], tol * Math.max(1, Math.abs(a[i])), "element " + i);
            if (dt == DataType.DOUBLE) assertEquals(a[i] == 0, b[i] == 0, "exact zero at " + i);
        }
        for (long i : new long[] {0, 1, 2, n + 3, n + 4}) {
            assertEquals(before.getDouble(i), buffer.getDouble(i), 0.0, "outside the view");
        }
    }
}
