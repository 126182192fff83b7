package io.ndopt.internal.kernel;

/**
 * The fused kernels of one dtype over one kind of memory view {@code B} ({@code ByteBuffer} on JDK 17,
 * {@code MemorySegment} on JDK 22+). Implemented only by classes generated from
 * {@code src/main/templates/VectorKernels.java.template}; {@code n} is the element count of every view.
 */
interface DtypeKernels<B> {
    /** The vector shape in use, e.g. "512-bit, 16 float lanes". */
    String lanes();

    /** One SGD step; returns Σ g² of the raw gradient, summed in the same pass, when {@code fold}, else 0. */
    double sgd(KernelScalars k, boolean fold, B p, B g, B momentumBuffer, int n);

    /** One Adam step; returns Σ g² of the raw gradient, summed in the same pass, when {@code fold}, else 0. */
    double adam(KernelScalars k, boolean fold, B p, B g, B m, B v, B vmax, int n);

    /**
     * One step of an element-wise rule beyond SGD and Adam (RMSprop ... Lion, by {@code k.family()}), its state in the
     * kernel's arguments {@code a b c} ({@link KernelScalars.Family#kernelSlots}, null where absent); returns Σ g² of
     * the raw gradient when {@code fold}, else 0.
     */
    double rule(KernelScalars k, boolean fold, B p, B g, B a, B b, B c, int n);
    /** One schedule-free AdamW step (z and v the state); returns Σ g² of the raw gradient when {@code fold}, else 0. */
    double scheduleFree(KernelScalars k, boolean fold, B p, B g, B z, B v, int n);

    double sumSquares(B g, int n);
}
