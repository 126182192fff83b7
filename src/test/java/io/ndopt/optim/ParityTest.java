package io.ndopt.optim;

import io.ndopt.internal.gpusuite.Recipes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ndopt.Parity;
import io.ndopt.TestArrays;
import io.ndopt.internal.kernel.FusedKernels;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fused path equals the reference path, parameters and state, by {@link Parity} (float64
 * ≤ 1e-12 relative, float32 ≤ 1e-5, float32 threshold ties) for every recipe of {@link Recipes},
 * over many shapes including [1,n] biases, odd lengths around the vector width, large tensors split
 * across threads, non-contiguous views, schedules, masks and clipping.
 */
class ParityTest {
    private static final long[][] SHAPES = {{1}, {7}, {16}, {17, 3}, {1, 33}, {5, 1}, {2, 3, 4}, {70001}, {64, 1100}};

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (Layout layout : Layout.values()) {
                for (Recipes.Recipe r : Recipes.ALL) out.add(Arguments.of(r, dt, layout));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("configs")
    void fusedEqualsReference(Recipes.Recipe recipe, DataType dt, Layout layout) {
        // JDK 19-21 link no fused kernel; KernelChoiceTest pins that JDK 17 and 22+ do
        assumeTrue(FusedKernels.available(), FusedKernels.status());
        Model ref = new Model(dt, layout == Layout.TENSORS), fast = new Model(dt, layout == Layout.TENSORS);
        Optimizer oRef = recipe.get(ref.params).impl(UpdatePath.REFERENCE).layout(layout).build(ref.params);
        Optimizer oFast = recipe.get(fast.params).impl(UpdatePath.FUSED).layout(layout).build(fast.params);
        boolean kernels = oFast.rule().elementWise();                  // Adafactor, Muon: the reference on both
        assertTrue(oFast.fused() == kernels);
        Random rnd = new Random(7);
        for (int step = 0; step < 6; step++) {
            long seed = rnd.nextLong();
            ref.fillGrads(seed);
            fast.fillGrads(seed);
            oRef.step();
            oFast.step();
            long total = fast.params.stream().mapToLong(Param::length).sum();
            // strided/transposed views take the reference path
            long viewElements = layout == Layout.TENSORS ? 3 * 6 + 5 * 4 : 0;
            assertTrue(!kernels || oFast.lastStepFusedElements() >= total - viewElements,
                    "fused kernels updated only " + oFast.lastStepFusedElements() + " of " + total + " elements");
            assertEquals(0, oRef.lastStepFusedElements());
        }
        Parity.assertOptimizers(oRef, oFast, recipe.threshold(), recipe + " " + dt + " " + layout);
    }

    /** A set of parameters of assorted shapes; with views=true some are strided views of a larger array. */
    static final class Model {
        final List<Param> params = new ArrayList<>();

        Model(DataType dt, boolean views) {
            Random r = new Random(42);
            int i = 0;
            for (long[] shape : SHAPES) {
                INDArray v = TestArrays.randn(dt, r, shape);
                params.add(i % 3 == 1 ? Param.bias("p" + i, v) : Param.weight("p" + i, v));
                i++;
            }
            if (views) {
                INDArray big = TestArrays.randn(dt, r, 6, 10);
                params.add(Param.weight("colview", big.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 5))));
                params.add(Param.weight("transposed", TestArrays.randn(dt, r, 5, 4).transpose()));
            }
        }

        void fillGrads(long seed) {
            Random r = new Random(seed);
            for (Param p : params) p.setGrad(TestArrays.randn(p.dtype(), r, p.shape()));
        }
    }
}
