package io.ndopt.internal.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.util.List;

/**
 * The NVRTC functions ndopt calls ({@code nvrtc.h}; all but {@code nvrtcGetErrorString} return an {@code nvrtcResult}).
 */
enum Rtc implements NativeFn {
    VERSION("nvrtcVersion", NativeFn.status(PTR, PTR)),                                   // (int* major, int* minor)
    GET_NUM_SUPPORTED_ARCHS("nvrtcGetNumSupportedArchs", NativeFn.status(PTR)),           // (int* n)
    GET_SUPPORTED_ARCHS("nvrtcGetSupportedArchs", NativeFn.status(PTR)),                  // (int* archs)
    // (prog*, src, name, nHeaders, headers, names)
    CREATE_PROGRAM("nvrtcCreateProgram", NativeFn.status(PTR, PTR, PTR, INT, PTR, PTR)),
    // (prog, nOptions, const char* const* options)
    COMPILE_PROGRAM("nvrtcCompileProgram", NativeFn.status(PTR, INT, PTR)),
    GET_PTX_SIZE("nvrtcGetPTXSize", NativeFn.status(PTR, PTR)),                           // (prog, size_t*)
    GET_PTX("nvrtcGetPTX", NativeFn.status(PTR, PTR)),                                    // (prog, char*)
    GET_CUBIN_SIZE("nvrtcGetCUBINSize", NativeFn.status(PTR, PTR)),                       // (prog, size_t*)
    GET_CUBIN("nvrtcGetCUBIN", NativeFn.status(PTR, PTR)),                                // (prog, char*)
    GET_PROGRAM_LOG_SIZE("nvrtcGetProgramLogSize", NativeFn.status(PTR, PTR)),            // (prog, size_t*)
    GET_PROGRAM_LOG("nvrtcGetProgramLog", NativeFn.status(PTR, PTR)),                     // (prog, char*)
    DESTROY_PROGRAM("nvrtcDestroyProgram", NativeFn.status(PTR)),                         // (prog*)
    GET_ERROR_STRING("nvrtcGetErrorString", FunctionDescriptor.of(PTR, INT));             // const char* (nvrtcResult)

    private final String symbol;
    private final FunctionDescriptor descriptor;

    Rtc(String symbol, FunctionDescriptor descriptor) {
        this.symbol = symbol;
        this.descriptor = descriptor;
    }

    @Override public List<String> symbols() { return List.of(symbol); }
    @Override public FunctionDescriptor descriptor() { return descriptor; }
}
