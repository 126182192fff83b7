package io.ndopt.internal.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.util.List;

/**
 * The CUDA driver API functions ndopt calls ({@code cuda.h}; every one returns a {@code CUresult}).
 * Versioned symbols are what {@code cuda.h}'s macros select (e.g. {@code cuMemAlloc → cuMemAlloc_v2});
 * a unit test checks every row against the prototype in {@code cuda.h} where the toolkit is installed.
 */
enum Cu implements NativeFn {
    INIT("cuInit", INT),                                                    // (unsigned flags)
    DRIVER_GET_VERSION("cuDriverGetVersion", PTR),                          // (int* version)
    GET_ERROR_NAME("cuGetErrorName", INT, PTR),                             // (CUresult, const char** name)
    GET_ERROR_STRING("cuGetErrorString", INT, PTR),                         // (CUresult, const char** text)
    DEVICE_GET_COUNT("cuDeviceGetCount", PTR),                              // (int* count)
    DEVICE_GET("cuDeviceGet", PTR, INT),                                    // (CUdevice* dev, int ordinal)
    DEVICE_GET_NAME("cuDeviceGetName", PTR, INT, INT),                      // (char* name, int len, CUdevice)
    DEVICE_GET_ATTRIBUTE("cuDeviceGetAttribute", PTR, INT, INT),            // (int* value, attribute, CUdevice)
    DEVICE_TOTAL_MEM("cuDeviceTotalMem_v2", PTR, INT),                      // (size_t* bytes, CUdevice)
    PRIMARY_CTX_RETAIN("cuDevicePrimaryCtxRetain", PTR, INT),               // (CUcontext* ctx, CUdevice)
    PRIMARY_CTX_RELEASE("cuDevicePrimaryCtxRelease_v2", INT),               // (CUdevice)
    CTX_SET_CURRENT("cuCtxSetCurrent", PTR),                                // (CUcontext)
    CTX_SYNCHRONIZE("cuCtxSynchronize"),                                    // ()
    STREAM_CREATE("cuStreamCreate", PTR, INT),                              // (CUstream* stream, unsigned flags)
    STREAM_SYNCHRONIZE("cuStreamSynchronize", PTR),                         // (CUstream)
    STREAM_DESTROY("cuStreamDestroy_v2", PTR),                              // (CUstream)
    EVENT_CREATE("cuEventCreate", PTR, INT),                                // (CUevent* event, unsigned flags)
    EVENT_RECORD("cuEventRecord", PTR, PTR),                                // (CUevent, CUstream)
    EVENT_SYNCHRONIZE("cuEventSynchronize", PTR),                           // (CUevent)
    // (float* ms, CUevent start, CUevent end)
    EVENT_ELAPSED_TIME(List.of("cuEventElapsedTime_v2", "cuEventElapsedTime"), PTR, PTR, PTR),
    EVENT_DESTROY("cuEventDestroy_v2", PTR),                                // (CUevent)
    MEM_ALLOC("cuMemAlloc_v2", PTR, SIZE),                                  // (CUdeviceptr* dptr, size_t bytes)
    MEM_FREE("cuMemFree_v2", SIZE),                                         // (CUdeviceptr)
    // (CUdeviceptr dst, const void* src, size_t, CUstream)
    MEMCPY_HTOD_ASYNC("cuMemcpyHtoDAsync_v2", SIZE, PTR, SIZE, PTR),
    // (void* dst, CUdeviceptr src, size_t, CUstream)
    MEMCPY_DTOH_ASYNC("cuMemcpyDtoHAsync_v2", PTR, SIZE, SIZE, PTR),
    // (CUdeviceptr dst, CUdeviceptr src, size_t, CUstream)
    MEMCPY_DTOD_ASYNC("cuMemcpyDtoDAsync_v2", SIZE, SIZE, SIZE, PTR),
    // (CUdeviceptr, unsigned char, size_t n, CUstream)
    MEMSET_D8_ASYNC("cuMemsetD8Async", SIZE, BYTE, SIZE, PTR),
    MODULE_LOAD_DATA("cuModuleLoadData", PTR, PTR),                         // (CUmodule* module, const void* image)
    // (CUfunction* f, CUmodule, const char* name)
    MODULE_GET_FUNCTION("cuModuleGetFunction", PTR, PTR, PTR),
    MODULE_UNLOAD("cuModuleUnload", PTR),                                   // (CUmodule)
    // (int* n, CUfunction, int block, size_t smem)
    OCCUPANCY_MAX_BLOCKS("cuOccupancyMaxActiveBlocksPerMultiprocessor", PTR, PTR, INT, SIZE),
    // (CUfunction, gridX, gridY, gridZ, blockX, blockY, blockZ, unsigned sharedMemBytes, CUstream, void**
    // params, void** extra)
    LAUNCH_KERNEL("cuLaunchKernel", PTR, INT, INT, INT, INT, INT, INT, INT, PTR, PTR, PTR),
    STREAM_BEGIN_CAPTURE("cuStreamBeginCapture_v2", PTR, INT),              // (CUstream, CUstreamCaptureMode)
    STREAM_END_CAPTURE("cuStreamEndCapture", PTR, PTR),                     // (CUstream, CUgraph* graph)
    // (CUstream, CUstreamCaptureStatus* status)
    STREAM_IS_CAPTURING("cuStreamIsCapturing", PTR, PTR),
    // (CUgraphExec* exec, CUgraph, unsigned long long flags)
    GRAPH_INSTANTIATE("cuGraphInstantiateWithFlags", PTR, PTR, SIZE),
    GRAPH_LAUNCH("cuGraphLaunch", PTR, PTR),                                // (CUgraphExec, CUstream)
    GRAPH_EXEC_DESTROY("cuGraphExecDestroy", PTR),                          // (CUgraphExec)
    GRAPH_DESTROY("cuGraphDestroy", PTR);                                   // (CUgraph)

    /** CUdevice_attribute values used by discovery. */
    static final int ATTR_MULTIPROCESSOR_COUNT = 16, ATTR_CC_MAJOR = 75, ATTR_CC_MINOR = 76;
    /**
     * CUstreamCaptureMode: thread-local capture (only this thread's unsafe calls, e.g. a {@code cuMemAlloc},
     * invalidate it; other threads' work on other streams goes on).
     */
    static final int CAPTURE_MODE_THREAD_LOCAL = 1;

    private final List<String> symbols;
    private final FunctionDescriptor descriptor;

    Cu(String symbol, MemoryLayout... args) { this(List.of(symbol), args); }

    Cu(List<String> symbols, MemoryLayout... args) {
        this.symbols = symbols;
        this.descriptor = NativeFn.status(args);
    }

    @Override public List<String> symbols() { return symbols; }
    @Override public FunctionDescriptor descriptor() { return descriptor; }
}
