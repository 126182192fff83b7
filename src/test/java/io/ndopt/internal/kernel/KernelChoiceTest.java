package io.ndopt.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fused family is the one the running JDK can link (the test JVM has jdk.incubator.vector and the
 * CPU backend), the start-up self-check accepts it, and the self-check rejects kernels that are wrong
 * or do not link, so such kernels are never used for a step.
 */
class KernelChoiceTest {
    private final int jdk = Runtime.version().feature();

    @Test
    void theFamilyMatchesTheRunningJdk() {
        String status = FusedKernels.status();
        if (jdk <= 18) {
            assertTrue(FusedKernels.available(), status);
            assertTrue(status.startsWith("ByteBuffer vector kernels"), status);
        } else if (jdk >= 22) {
            assertTrue(FusedKernels.available(), status);   // this build compiles src/main/java22 on such a JDK
            assertTrue(status.startsWith("MemorySegment vector kernels"), status);
        } else {
            assertFalse(FusedKernels.available(), status);
            assertTrue(status.contains("JDK " + jdk + " cannot link a fused kernel"), status);
        }
        if (FusedKernels.available()) {
            assertTrue(status.endsWith(", JDK " + jdk), status);
            assertEquals("", FusedKernels.unavailableReason());
        }
    }

    @Test
    void theChosenKernelsPassTheSelfCheck() {
        KernelChoice c = KernelChoice.detect();
        assertEquals(FusedKernels.status(), c.why());
        if (c.kernels() != null) assertNull(KernelChoice.selfCheck(c.kernels()));
    }

    @Test
    void selfCheckRejectsWrongArithmetic() {
        CpuKernels offByOne = new Broken() {
            @Override public double apply(KernelScalars k, boolean fold, INDArray p, INDArray g,
                    INDArray[] state) {
                double sq = fold ? sumSquares(g) : 0;
                p.addi(1);
                return sq;
            }
        };
        String why = KernelChoice.selfCheck(offByOne);
        assertNotNull(why);
        assertTrue(why.contains("SGD element 0"), why);
        CpuKernels badSum = new Broken() {
            @Override public double sumSquares(INDArray g) { return 4217; }
        };
        assertTrue(KernelChoice.selfCheck(badSum).contains("sum of squares 4217.0 != 4218"));
        CpuKernels badFold = new Broken() {
            @Override public double apply(KernelScalars k, boolean fold, INDArray p, INDArray g,
                    INDArray[] state) {
                super.apply(k, fold, p, g, state);
                return fold ? 4219 : 0;
            }
        };
        assertTrue(KernelChoice.selfCheck(badFold).contains("sum of squares in the SGD pass 4219.0 != 4218"),
                KernelChoice.selfCheck(badFold));
    }

    @Test
    void selfCheckRejectsKernelsThatDoNotLink() {
        CpuKernels unlinked = new Broken() {
            @Override public double sumSquares(INDArray g) {
                throw new NoSuchMethodError("'jdk.incubator.vector.FloatVector.fromByteBuffer'");
            }
        };
        assertTrue(KernelChoice.selfCheck(unlinked).contains("NoSuchMethodError"));
    }

    /** Correct scalar kernels, for tests to break one method at a time. */
    private static class Broken implements CpuKernels {
        @Override public String description() { return "test kernels"; }

        @Override public double apply(KernelScalars k, boolean fold, INDArray p, INDArray g, INDArray[] state) {
            double sq = fold ? sumSquares(g) : 0;
            p.addi(g.mul(k.value(0)).muli(k.value(4)));                     // gs · g · (−lr)
            return sq;
        }

        @Override public double sumSquares(INDArray g) {
            double sum = 0;
            for (long i = 0; i < g.length(); i++) sum += g.getDouble(i) * g.getDouble(i);
            return sum;
        }
    }
}
