package io.ndopt.internal.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * One row of a binding table: a C function's symbol (and older symbols to fall back to) and its
 * signature as an FFM descriptor. The tables are the enums {@link Cu} (driver API) and
 * {@link Rtc} (NVRTC); {@link NativeLib} turns a table into method handles.
 */
interface NativeFn {
    /** C {@code int}, {@code unsigned int} and enums (CUresult, CUdevice, attributes). */
    ValueLayout INT = ValueLayout.JAVA_INT;
    /** C {@code size_t}, {@code unsigned long long} and {@code CUdeviceptr}. */
    ValueLayout SIZE = ValueLayout.JAVA_LONG;
    /** Any pointer, including the opaque handles (CUcontext, CUstream, CUmodule, CUfunction, CUevent, nvrtcProgram). */
    ValueLayout PTR = ValueLayout.ADDRESS;
    /** C {@code unsigned char}. */
    ValueLayout BYTE = ValueLayout.JAVA_BYTE;

    /** Symbols to try, preferred first. */
    List<String> symbols();

    FunctionDescriptor descriptor();

    /** The symbol errors are reported under (the first one). */
    default String symbol() { return symbols().get(0); }

    /** {@code int f(args...)}: every CUDA and NVRTC call returns a status code. */
    static FunctionDescriptor status(MemoryLayout... args) { return FunctionDescriptor.of(INT, args); }
}
