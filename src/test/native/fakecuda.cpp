// A stand-in for libcuda.so.1 and libnvrtc.so for tests on machines without a GPU (built by
// io.ndopt.cuda.FakeCuda with g++). It exports every function of ndopt's binding tables:
// "device memory" is host memory, a "module" is this library, and a launch runs ndopt's real
// kernel sources (optim.cu, reduce.cu, compiled here for the host with -ffp-contract=off) with one
// worker thread per CUDA thread of a block where the kernel synchronizes (__syncthreads), the blocks
// one after another.
// It checks what a real driver would reject (unknown kernels, missing options, bad pointers) and
// fails cuMemAlloc above 1 GiB with CUDA_ERROR_OUT_OF_MEMORY, so error reporting can be tested.
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <math.h>
#include <set>
#include <string>
#include <thread>
#include <vector>

struct Dim3 { unsigned x = 0, y = 0, z = 0; };
thread_local Dim3 threadIdx, blockIdx;
static Dim3 blockDim, gridDim;
static std::barrier<>* blockBarrier;

#define __global__
#define __device__
#define __forceinline__ inline
#define __align__(n) alignas(n)
#define __shared__ static
inline void __syncthreads() { blockBarrier->arrive_and_wait(); }

#include "optim.cu"
#include "reduce.cu"

// ---- kernels by name: unpack cuLaunchKernel's void** params in each kernel's parameter order ----
#define A(i, T) (*reinterpret_cast<T*>(p[i]))
typedef void (*Trampoline)(void**);
struct Kernel { const char* name; Trampoline run; bool syncs; };  // syncs: uses __syncthreads
#define SGD(T, S) [](void** p) { sgd_##S(A(0, T*), A(1, T*), A(2, T*), A(3, long long), A(4, T), A(5, T), A(6, T), A(7, T), A(8, T), A(9, T), A(10, T), A(11, int)); }
#define ADAM(T, S) [](void** p) { adam_##S(A(0, T*), A(1, T*), A(2, T*), A(3, T*), A(4, T*), A(5, long long), A(6, T), A(7, T), A(8, T), \
        A(9, T), A(10, T), A(11, T), A(12, T), A(13, T), A(14, T), A(15, T), A(16, T), A(17, int)); }
static const Kernel KERNELS[] = {
    {"sgd_f32", SGD(float, f32), false}, {"sgd_f64", SGD(double, f64), false},
    {"adam_f32", ADAM(float, f32), false}, {"adam_f64", ADAM(double, f64), false},
    {"sumsq_f32", [](void** p) { sumsq_f32(A(0, float*), A(1, long long), A(2, double*)); }, true},
    {"sumsq_f64", [](void** p) { sumsq_f64(A(0, double*), A(1, long long), A(2, double*)); }, true},
    {"sum_partials", [](void** p) { sum_partials(A(0, double*), A(1, int), A(2, double*)); }, true},
};

// Workers for kernels that synchronize: one per thread of a block, created once and reused.
struct Pool {
    unsigned size;
    std::barrier<> start, done, sync;
    const Kernel* kernel = nullptr;
    void** params = nullptr;
    unsigned block = 0;
    explicit Pool(unsigned n) : size(n), start(n + 1), done(n + 1), sync(n) {
        for (unsigned t = 0; t < n; t++) {
            std::thread([this, t] {
                for (;;) {
                    start.arrive_and_wait();
                    blockIdx = {block, 0, 0};
                    threadIdx = {t, 0, 0};
                    kernel->run(params);
                    done.arrive_and_wait();
                }
            }).detach();
        }
    }
    void runBlock(const Kernel* k, void** p, unsigned b) {
        kernel = k; params = p; block = b;
        blockBarrier = &sync;
        start.arrive_and_wait();
        done.arrive_and_wait();
    }
};
static Pool* pool;

static std::set<uintptr_t> allocations;
static int launches = 0;
static int fake_module, fake_context, fake_stream, fake_event;

extern "C" {
// ---------------------------------------------------------------- driver API
int cuInit(unsigned flags) { return flags == 0 ? 0 : 1; }
int cuDriverGetVersion(int* v) { *v = 13000; return 0; }
int cuGetErrorName(int e, const char** s) {
    switch (e) {
        case 0: *s = "CUDA_SUCCESS"; return 0;
        case 1: *s = "CUDA_ERROR_INVALID_VALUE"; return 0;
        case 2: *s = "CUDA_ERROR_OUT_OF_MEMORY"; return 0;
        case 101: *s = "CUDA_ERROR_INVALID_DEVICE"; return 0;
        case 500: *s = "CUDA_ERROR_NOT_FOUND"; return 0;
        default: *s = nullptr; return 1;
    }
}
int cuGetErrorString(int e, const char** s) {
    switch (e) {
        case 0: *s = "no error"; return 0;
        case 1: *s = "invalid argument"; return 0;
        case 2: *s = "out of memory"; return 0;
        case 101: *s = "invalid device ordinal"; return 0;
        case 500: *s = "named symbol not found"; return 0;
        default: *s = nullptr; return 1;
    }
}
int cuDeviceGetCount(int* n) { *n = 1; return 0; }
int cuDeviceGet(int* dev, int ordinal) { if (ordinal != 0) return 101; *dev = 0; return 0; }
int cuDeviceGetName(char* name, int len, int dev) { if (dev != 0) return 101; snprintf(name, len, "ndopt fake GPU (host memory)"); return 0; }
int cuDeviceGetAttribute(int* v, int attr, int dev) {
    if (dev != 0) return 101;
    switch (attr) { case 16: *v = 2; return 0; case 75: *v = 9; return 0; case 76: *v = 0; return 0; default: return 1; }
}
int cuDeviceTotalMem_v2(size_t* bytes, int dev) { if (dev != 0) return 101; *bytes = size_t(1) << 30; return 0; }
int cuDevicePrimaryCtxRetain(void** ctx, int dev) { if (dev != 0) return 101; *ctx = &fake_context; return 0; }
int cuDevicePrimaryCtxRelease_v2(int dev) { return dev == 0 ? 0 : 101; }
int cuCtxSetCurrent(void* ctx) { return ctx == &fake_context ? 0 : 1; }
int cuCtxSynchronize() { return 0; }
int cuStreamCreate(void** s, unsigned) { *s = &fake_stream; return 0; }
int cuStreamSynchronize(void* s) { return s == &fake_stream || s == nullptr ? 0 : 1; }
int cuStreamDestroy_v2(void* s) { return s == &fake_stream ? 0 : 1; }
int cuEventCreate(void** e, unsigned) { *e = &fake_event; return 0; }
int cuEventRecord(void* e, void*) { return e == &fake_event ? 0 : 1; }
int cuEventSynchronize(void* e) { return e == &fake_event ? 0 : 1; }
int cuEventElapsedTime_v2(float* ms, void*, void*) { *ms = 0.001f; return 0; }
int cuEventDestroy_v2(void* e) { return e == &fake_event ? 0 : 1; }
int cuMemAlloc_v2(uint64_t* p, size_t bytes) {
    if (bytes == 0) return 1;
    if (bytes > (size_t(1) << 30)) return 2;
    void* m = aligned_alloc(256, (bytes + 255) / 256 * 256);
    if (!m) return 2;
    allocations.insert(uintptr_t(m));
    *p = uint64_t(uintptr_t(m));
    return 0;
}
int cuMemFree_v2(uint64_t p) {
    if (!allocations.erase(uintptr_t(p))) return 1;
    free(reinterpret_cast<void*>(p));
    return 0;
}
static bool inside(uint64_t p) {   // p lies in some allocation (start <= p)
    auto it = allocations.upper_bound(uintptr_t(p));
    return it != allocations.begin();
}
int cuMemcpyHtoDAsync_v2(uint64_t dst, const void* src, size_t n, void*) { if (!inside(dst)) return 1; memcpy(reinterpret_cast<void*>(dst), src, n); return 0; }
int cuMemcpyDtoHAsync_v2(void* dst, uint64_t src, size_t n, void*) { if (!inside(src)) return 1; memcpy(dst, reinterpret_cast<void*>(src), n); return 0; }
int cuMemcpyDtoDAsync_v2(uint64_t dst, uint64_t src, size_t n, void*) {
    if (!inside(dst) || !inside(src)) return 1;
    memcpy(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), n);
    return 0;
}
int cuMemsetD8Async(uint64_t dst, unsigned char v, size_t n, void*) { if (!inside(dst)) return 1; memset(reinterpret_cast<void*>(dst), v, n); return 0; }
int cuModuleLoadData(void** m, const void* image) {
    if (strncmp(static_cast<const char*>(image), "FAKECUBIN", 9) != 0) return 1;
    *m = &fake_module;
    return 0;
}
int cuModuleGetFunction(void** f, void* m, const char* name) {
    if (m != &fake_module) return 1;
    for (const Kernel& k : KERNELS) if (strcmp(k.name, name) == 0) { *f = const_cast<Kernel*>(&k); return 0; }
    return 500;
}
int cuModuleUnload(void* m) { return m == &fake_module ? 0 : 1; }
int cuOccupancyMaxActiveBlocksPerMultiprocessor(int* n, void*, int block, size_t) { *n = block <= 1024 ? 2 : 0; return 0; }
int cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared,
                   void* stream, void** params, void** extra) {
    if (gx == 0 || bx == 0 || bx > 1024 || gy != 1 || gz != 1 || by != 1 || bz != 1 || extra != nullptr || params == nullptr) return 1;
    const Kernel* k = static_cast<const Kernel*>(f);
    gridDim = {gx, 1, 1};
    blockDim = {bx, 1, 1};
    for (unsigned b = 0; b < gx; b++) {
        if (!k->syncs) {             // no barrier inside: the block's threads can run one after another
            for (unsigned t = 0; t < bx; t++) { blockIdx = {b, 0, 0}; threadIdx = {t, 0, 0}; k->run(params); }
            continue;
        }
        if (!pool) pool = new Pool(bx);
        if (pool->size != bx) return 1;      // ndopt launches every synchronizing kernel with the same block size
        pool->runBlock(k, params, b);
    }
    launches++;
    return 0;
}
// test hook (not part of the CUDA API): kernel launches so far
int fakeLaunchCount() { return launches; }

// ---------------------------------------------------------------- NVRTC
struct Program { std::string source, log; bool compiled = false; };
int nvrtcVersion(int* major, int* minor) { *major = 13; *minor = 0; return 0; }
int nvrtcGetNumSupportedArchs(int* n) { *n = 7; return 0; }
int nvrtcGetSupportedArchs(int* a) { int v[] = {75, 80, 86, 89, 90, 100, 120}; memcpy(a, v, sizeof v); return 0; }
int nvrtcCreateProgram(Program** p, const char* src, const char*, int n, const char* const*, const char* const*) {
    if (n != 0) return 3;
    *p = new Program{src, "", false};
    return 0;
}
int nvrtcCompileProgram(Program* p, int n, const char* const* options) {
    std::set<std::string> opts(options, options + n);
    for (const char* need : {"--fmad=false", "--prec-div=true", "--prec-sqrt=true", "--ftz=false"}) {
        if (!opts.count(need)) { p->log = std::string("fake nvrtc: missing option ") + need; return 6; }
    }
    for (const char* need : {"NDOPT_OPTIM_KERNELS(float, f32)", "NDOPT_OPTIM_KERNELS(double, f64)", "void sumsq_f32", "void sum_partials"}) {
        if (p->source.find(need) == std::string::npos) { p->log = std::string("fake nvrtc: source lacks ") + need; return 6; }
    }
    if (p->source.find("#include") != std::string::npos) { p->log = "fake nvrtc: unresolved #include"; return 6; }
    p->compiled = true;
    return 0;
}
static const char IMAGE[] = "FAKECUBIN";
int nvrtcGetCUBINSize(Program* p, size_t* n) { if (!p->compiled) return 1; *n = sizeof IMAGE; return 0; }
int nvrtcGetCUBIN(Program* p, char* out) { if (!p->compiled) return 1; memcpy(out, IMAGE, sizeof IMAGE); return 0; }
int nvrtcGetPTXSize(Program* p, size_t* n) { return nvrtcGetCUBINSize(p, n); }
int nvrtcGetPTX(Program* p, char* out) { return nvrtcGetCUBIN(p, out); }
int nvrtcGetProgramLogSize(Program* p, size_t* n) { *n = p->log.size() + 1; return 0; }
int nvrtcGetProgramLog(Program* p, char* out) { memcpy(out, p->log.c_str(), p->log.size() + 1); return 0; }
int nvrtcDestroyProgram(Program** p) { delete *p; *p = nullptr; return 0; }
const char* nvrtcGetErrorString(int e) { return e == 6 ? "NVRTC_ERROR_COMPILATION" : (e == 0 ? "NVRTC_SUCCESS" : "NVRTC_ERROR_INVALID_INPUT"); }
}
