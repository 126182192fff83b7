package io.ndopt.internal.kernel;

import java.lang.ref.Reference;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link CpuKernels} over one kind of memory view: turns each array into a view of its off-heap bytes
 * and dispatches on rule and dtype. Shared by the JDK 17 ({@code ByteBuffer}) and JDK 22+
 * ({@code MemorySegment}) families, which differ only in {@code view} and the generated kernels.
 */
final class ViewKernels<B> implements CpuKernels {
    private final String name;
    private final Function<INDArray, B> view;
    private final DtypeKernels<B> f32;
    private final DtypeKernels<B> f64;

    ViewKernels(String name, Function<INDArray, B> view, DtypeKernels<B> f32, DtypeKernels<B> f64) {
        this.name = name;
        this.view = view;
        this.f32 = f32;
        this.f64 = f64;
    }

    @Override public String description() { return name + " (" + f32.lanes() + ")"; }

    @Override public double apply(KernelScalars ks, boolean fold, INDArray p, INDArray g, INDArray[] state) {
        int n = (int) p.length();
        DtypeKernels<B> k = p.dataType() == DataType.FLOAT ? f32 : f64;
        double sumSquares;
        if (ks.family() == KernelScalars.Family.SGD) {
            sumSquares = k.sgd(ks, fold, view.apply(p), view.apply(g),
                    state.length > 0 ? view.apply(state[0]) : null, n);
        } else if (ks.family() == KernelScalars.Family.SCHEDULE_FREE) {
            sumSquares = k.scheduleFree(ks, fold, view.apply(p), view.apply(g), view.apply(state[0]),
                    view.apply(state[1]), n);
        } else if (ks.family() == KernelScalars.Family.ADAM) {
            B vmax = ks.has(KernelScalars.AMSGRAD) ? view.apply(state[2]) : null;
            sumSquares = k.adam(ks, fold, view.apply(p), view.apply(g), view.apply(state[0]),
                    view.apply(state[1]), vmax, n);
        } else {
            int[] at = ks.family().kernelSlots(ks.flags());
            sumSquares = k.rule(ks, fold, view.apply(p), view.apply(g), slot(state, at[0]), slot(state, at[1]),
                    slot(state, at[2]), n);
        }
        // the views do not own the memory: keep the arrays (and so their buffers) alive until here
        Reference.reachabilityFence(p);
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(state);
        return sumSquares;
    }

    private B slot(INDArray[] state, int i) { return i < 0 ? null : view.apply(state[i]); }

    @Override public double sumSquares(INDArray g) {
        double s = (g.dataType() == DataType.FLOAT ? f32 : f64).sumSquares(view.apply(g), (int) g.length());
        Reference.reachabilityFence(g);
        return s;
    }
}
