package io.ndopt.internal.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.device.Device;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.optim.Optimizer;
import io.ndopt.optim.Rule;
import io.ndopt.param.Param;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adafactor's and Muon's device steps run as family.cu's kernels (counted by the stand-in driver), one update launch
 * per parameter, not on the host; Muon's aux parameters take the AdamW kernel.
 */
class FamilyKernelsLaunchTest {
    @BeforeAll static void install() { FakeCuda.install(); }

    @AfterAll static void restore() { FakeCuda.restore(); }

    private static int launches(String kernel) {
        try (Arena a = Arena.ofConfined()) {
            MethodHandle h = Linker.nativeLinker().downcallHandle(
                    SymbolLookup.libraryLookup(FakeCuda.library(), Arena.global()).find("fakeKernelLaunches").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            return (int) h.invokeExact(a.allocateFrom(kernel));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static List<Param> params() {
        return List.of(Param.weight("w", Nd4j.rand(DataType.DOUBLE, 6, 4)), Param.weight("v", Nd4j.rand(DataType.DOUBLE, 3, 5)),
                Param.bias("b", Nd4j.rand(DataType.DOUBLE, 1, 5)));
    }

    @Test void adafactorStepsAreDeviceKernels() {
        List<Param> ps = params();
        try (Optimizer o = Optimizer.adafactor(0.01).device(Device.cuda(0)).build(ps)) {
            ps.forEach(p -> p.setGrad(p.value().mul(0.1)));
            int updates = launches("af_update_f64"), rows = launches("af_rows_f64");
            assertTrue(o.step());
            assertEquals(3, launches("af_update_f64") - updates, "one update per parameter");
            assertEquals(2, launches("af_rows_f64") - rows, "row statistics of the two matrices");
        }
    }

    @Test void muonStepsAreDeviceKernelsAndAuxTakesAdam() {
        List<Param> ps = params();
        try (Optimizer o = Optimizer.muon(0.01).muonParams(Rule.Muon.MuonParams.WEIGHTS).device(Device.cuda(0)).build(ps)) {
            ps.forEach(p -> p.setGrad(p.value().mul(0.1)));
            int apply = launches("mu_apply_f64"), combine = launches("mu_combine_f64"), adam = launches("adam_f64");
            assertTrue(o.step());
            assertEquals(2, launches("mu_apply_f64") - apply, "one Muon update per matrix");
            assertEquals(2 * 5, launches("mu_combine_f64") - combine, "five Newton–Schulz iterations per matrix");
            assertEquals(1, launches("adam_f64") - adam, "the bias takes the aux AdamW kernel");
        }
    }
}
