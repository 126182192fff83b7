package io.ndopt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ndopt.Parity;
import io.ndopt.TestArrays;
import io.ndopt.internal.kernel.FusedKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every kernel of the family this JDK runs equals {@link ReferenceUpdate} by {@link Parity} (float64
 * ≤ 1e-12 relative, float32 ≤ 1e-5, no ties: both sides get the same step scalars), value and state,
 * for every rule branch, at lengths around every vector width (1 … 2·16+3, so whole vectors, tails and
 * tail-only chunks), a length split across threads with ragged chunks, and
 * arrays that are a row in the middle of a matrix, whose neighbouring rows must stay bit-identical
 * (a chunk's tail writes nothing past the view).
 */
class KernelParityTest {
    private static final int[] LENGTHS = {1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 35, 100, 70_001};

    static Stream<Arguments> cases() {
        Rule[] rules = {
            Rule.Sgd.plain(), new Rule.Sgd(0.9, 0.1, false), new Rule.Sgd(0.8, 0, true),
            Rule.Adam.defaults(), new Rule.Adam(0.8, 0.95, 1e-6, true),
            Rule.RmsProp.defaults().withMomentum(0.9), new Rule.Adagrad(0.1, 0.2, 1e-10), Rule.Adadelta.defaults(),
            Rule.Adamax.defaults(), Rule.NAdam.defaults(), Rule.RAdam.defaults(), Rule.Rprop.defaults(),
            Rule.Lion.defaults()};
        StepScalars[] scalars = {
            new StepScalars(1, 0.05, 1, 1, 0, 0),                 // plain, first step (momentum buffer = d)
            new StepScalars(3, 0.05, 0.7, 0.999, 0.01, 0),        // clipped, decoupled decay, coupled L2
            new StepScalars(4, 0.02, -1, 1, 0, 0.3)};             // maximize, soft threshold
        List<Arguments> out = new ArrayList<>();
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (Rule r : rules) for (StepScalars s : scalars) out.add(Arguments.of(dt, r, s));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void kernelEqualsReference(DataType dt, Rule rule, StepScalars s) {
        assumeTrue(FusedKernels.available(), FusedKernels.status());
        Random rnd = new Random(11);
        for (int n : LENGTHS) {
            int states = states(rule);
            // each operand is row 1 of a 3-row matrix: it starts at an offset and has neighbours on both sides
            INDArray[] fast = new INDArray[2 + states], ref = new INDArray[2 + states],
                    whole = new INDArray[2 + states];
            for (int k = 0; k < fast.length; k++) {
                whole[k] = TestArrays.randn(dt, rnd, 3, n);
                // v and vmax are non-negative; so is every state of the other element-wise rules (second moments,
                // step sizes; their first moments need no sign)
                if (k >= 3 || k == 2 && !(rule instanceof Rule.Sgd || rule instanceof Rule.Adam)) whole[k].muli(whole[k]);
                fast[k] = whole[k].getRow(1);
                ref[k] = fast[k].dup();
            }
            INDArray[] copies = Stream.of(whole).map(INDArray::dup).toArray(INDArray[]::new);
            assertTrue(FusedKernels.supports(fast[0], fast[1], slice(fast)), "n=" + n);
            ReferenceUpdate.apply(rule, s, ref[0], ref[1], slice(ref));
            FusedKernels.apply(KernelArgs.of(rule, s), fast[0], fast[1], slice(fast));
            for (int k = 0; k < fast.length; k++) {
                Parity.assertClose(ref[k], fast[k], dt + " n=" + n + " array " + k);
                assertEquals(copies[k].getRow(0), whole[k].getRow(0), "row before the view was written, n=" + n);
                assertEquals(copies[k].getRow(2), whole[k].getRow(2), "row after the view was written, n=" + n);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    void sumOfSquaresEqualsTheScalarSum(DataType dt) {
        assumeTrue(FusedKernels.available(), FusedKernels.status());
        Random rnd = new Random(5);
        for (int n : LENGTHS) {
            INDArray g = TestArrays.randn(dt, rnd, 3, n).getRow(1);
            double expected = 0;
            for (int i = 0; i < n; i++) expected += g.getDouble(i) * g.getDouble(i);
            assertEquals(expected, FusedKernels.sumSquares(g),
                    (dt == DataType.DOUBLE ? 1e-12 : 1e-5) * expected, "n=" + n);
        }
    }

    /**
     * The pass that also sums Σ g² (NonFinitePolicy.PROPAGATE) writes bit for bit what the plain pass writes,
     * and its sum equals the scalar one, at every length (tails and parallel chunks included).
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void summingPassWritesTheSameAndSumsTheGradient(DataType dt, Rule rule, StepScalars s) {
        assumeTrue(FusedKernels.available(), FusedKernels.status());
        Random rnd = new Random(17);
        for (int n : LENGTHS) {
            int states = states(rule);
            INDArray[] plain = new INDArray[2 + states], summing = new INDArray[2 + states];
            for (int k = 0; k < plain.length; k++) {
                plain[k] = TestArrays.randn(dt, rnd, 3, n).getRow(1);
                if (k >= 3 || k == 2 && !(rule instanceof Rule.Sgd || rule instanceof Rule.Adam)) plain[k].muli(plain[k]);
                summing[k] = plain[k].dup();
            }
            FusedKernels.apply(KernelArgs.of(rule, s), plain[0], plain[1], slice(plain));
            double sum = FusedKernels.applySummingSquares(KernelArgs.of(rule, s), summing[0], summing[1], slice(summing));
            for (int k = 0; k < plain.length; k++) {                  // bit for bit (INDArray.equals allows 1e-5)
                assertArrayEquals(plain[k].castTo(DataType.DOUBLE).dup('c').data().asDouble(),
                        summing[k].castTo(DataType.DOUBLE).dup('c').data().asDouble(), dt + " n=" + n + " array " + k);
            }
            double expected = 0;
            for (int i = 0; i < n; i++) expected += plain[1].getDouble(i) * plain[1].getDouble(i);
            // float32: one accumulator per lane, in float (as the pre-pass and PyTorch's float norm)
            assertEquals(expected, sum, (dt == DataType.DOUBLE ? 1e-12 : 1e-4) * expected, dt + " n=" + n);
        }
    }

    /**
     * A NaN or Inf anywhere (first element, a whole vector, the tail) makes the summed Σ g² non-finite; a tail
     * that held a NaN in one call leaves nothing behind in the per-thread scratch for the next.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    void summingPassSeesEveryNonFiniteAndForgetsIt(DataType dt) {
        assumeTrue(FusedKernels.available(), FusedKernels.status());
        Rule adam = Rule.Adam.defaults();
        StepScalars s = new StepScalars(1, 0.01, 1, 1, 0, 0);
        for (int n : new int[] {35, 70_001}) {
            for (int at : new int[] {0, n / 2, n - 1}) {
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    INDArray[] a = {TestArrays.randn(dt, new Random(n), n), TestArrays.randn(dt, new Random(at), n),
                        org.nd4j.linalg.factory.Nd4j.zeros(dt, n), org.nd4j.linalg.factory.Nd4j.zeros(dt, n)};
                    a[1].putScalar(at, bad);
                    double sum = FusedKernels.applySummingSquares(KernelArgs.of(adam, s), a[0], a[1], slice(a));
                    assertTrue(Double.isNaN(bad) ? Double.isNaN(sum) : sum == Double.POSITIVE_INFINITY,
                            dt + " n=" + n + " at " + at + " " + bad + ": " + sum);
                    assertTrue(Double.isNaN(a[0].getDouble(at)), "the non-finite gradient reached p[" + at + "]");
                }
            }
            INDArray[] fine = {TestArrays.randn(dt, new Random(1), n - 2), org.nd4j.linalg.factory.Nd4j.ones(dt, n - 2),
                org.nd4j.linalg.factory.Nd4j.zeros(dt, n - 2), org.nd4j.linalg.factory.Nd4j.zeros(dt, n - 2)};
            assertEquals(n - 2, FusedKernels.applySummingSquares(KernelArgs.of(adam, s), fine[0], fine[1], slice(fine)), 0.0,
                    "a finite gradient after a non-finite tail, n=" + (n - 2));
        }
    }

    /** How many state arrays the rule keeps (momentum buffer; m, v and vmax). */
    private static int states(Rule rule) {
        return rule.stateNames().size();
    }

    static Stream<DataType> dtypes() { return Stream.of(DataType.DOUBLE, DataType.FLOAT); }

    private static INDArray[] slice(INDArray[] a) {
        INDArray[] s = new INDArray[a.length - 2];
        System.arraycopy(a, 2, s, 0, s.length);
        return s;
    }
}
