// A stand-in for libcuda.so.1, libnvrtc.so and libcublas.so for tests on machines without a GPU (built by
// io.ndopt.device.FakeCuda with g++). It exports every function of ndopt's binding tables:
// "device memory" is host memory, a "module" is this library, and a launch runs ndopt's real
// kernel sources (optim.cu, reduce.cu, nn.cu, compiled here for the host with -ffp-contract=off) with one
// worker thread per CUDA thread of a block where the kernel synchronizes (__syncthreads), the blocks
// one after another.
// It checks what a real driver would reject (unknown kernels, missing options, bad pointers) and
// fails cuMemAlloc above 1 GiB with CUDA_ERROR_OUT_OF_MEMORY, so error reporting can be tested.
// cuBLAS: a naive column-major gemm (accumulated in double) with cuBLAS's argument checks; it also
// refuses a handle not set to CUBLAS_DEFAULT_MATH, host pointer mode and ndopt's stream.
#include <algorithm>
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
inline long long __double_as_longlong(double x) { long long v; memcpy(&v, &x, sizeof v); return v; }
inline double __longlong_as_double(long long v) { double x; memcpy(&x, &v, sizeof x); return x; }

#include "optim.cu"
#include "reduce.cu"
#include "nn.cu"

// ---- kernels by name: unpack cuLaunchKernel's void** params in each kernel's parameter order ----
#define A(i, T) (*reinterpret_cast<T*>(p[i]))
typedef void (*Trampoline)(void**);
struct Kernel { const char* name; Trampoline run; bool syncs; };  // syncs: uses __syncthreads
#define SGD(T, S) [](void** p) { sgd_##S(A(0, T*), A(1, T*), A(2, T*), A(3, long long), A(4, T), A(5, T), A(6, T), A(7, T), A(8, T), A(9, T), A(10, T), A(11, int)); }
#define ADAM(T, S) [](void** p) { adam_##S(A(0, T*), A(1, T*), A(2, T*), A(3, T*), A(4, T*), A(5, long long), A(6, T), A(7, T), A(8, T), \
        A(9, T), A(10, T), A(11, T), A(12, T), A(13, T), A(14, T), A(15, T), A(16, T), A(17, int)); }
#define NN(T, S) \
    {"bias_act_" #S, [](void** p) { bias_act_##S(A(0, T*), A(1, T*), A(2, T*), A(3, long long), A(4, int), A(5, int)); }, false}, \
    {"bias_softmax_" #S, [](void** p) { bias_softmax_##S(A(0, T*), A(1, T*), A(2, T*), A(3, int), A(4, int)); }, false}, \
    {"act_backward_" #S, [](void** p) { act_backward_##S(A(0, T*), A(1, T*), A(2, T*), A(3, long long), A(4, int)); }, false}, \
    {"softmax_backward_" #S, [](void** p) { softmax_backward_##S(A(0, T*), A(1, T*), A(2, int), A(3, int)); }, false}, \
    {"bias_grad_" #S, [](void** p) { bias_grad_##S(A(0, T*), A(1, T*), A(2, int), A(3, int)); }, false}, \
    {"loss_mse_" #S, [](void** p) { loss_mse_##S(A(0, T*), A(1, T*), A(2, T*), A(3, long long), A(4, double*)); }, true}, \
    {"loss_bce_" #S, [](void** p) { loss_bce_##S(A(0, T*), A(1, T*), A(2, T*), A(3, long long), A(4, double*)); }, true}, \
    {"loss_softmax_ce_" #S, [](void** p) { loss_softmax_ce_##S(A(0, T*), A(1, T*), A(2, T*), A(3, int), A(4, int), A(5, double*)); }, true}, \
    {"multiply_" #S, [](void** p) { multiply_##S(A(0, T*), A(1, T*), A(2, T*), A(3, long long)); }, false}, \
    {"gather_rows_" #S, [](void** p) { gather_rows_##S(A(0, T*), A(1, int*), A(2, int), A(3, int), A(4, int), A(5, T*)); }, false}
static const Kernel KERNELS[] = {
    {"sgd_f32", SGD(float, f32), false}, {"sgd_f64", SGD(double, f64), false},
    {"adam_f32", ADAM(float, f32), false}, {"adam_f64", ADAM(double, f64), false},
    {"sumsq_f32", [](void** p) { sumsq_f32(A(0, float*), A(1, long long), A(2, double*)); }, true},
    {"sumsq_f64", [](void** p) { sumsq_f64(A(0, double*), A(1, long long), A(2, double*)); }, true},
    {"sum_partials", [](void** p) { sum_partials(A(0, double*), A(1, int), A(2, double*)); }, true},
    {"mean_partials", [](void** p) { mean_partials(A(0, double*), A(1, int), A(2, double), A(3, double*)); }, true},
    NN(float, f32), NN(double, f64)
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
    for (const char* need : {"NDOPT_OPTIM_KERNELS(float, f32)", "NDOPT_OPTIM_KERNELS(double, f64)", "void sumsq_f32", "void sum_partials",
                             "NDOPT_NN_KERNELS(float, f32)", "NDOPT_NN_KERNELS(double, f64)"}) {
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

// ---------------------------------------------------------------- cuBLAS
struct Blas { int magic = 0xb1a5; void* stream = nullptr; int math = -1, pointerMode = -1; };
static std::set<Blas*> handles;
static bool valid(Blas* h) { return handles.count(h) != 0; }
int cublasCreate_v2(Blas** h) { *h = new Blas(); (*h)->math = 0; (*h)->pointerMode = 0; handles.insert(*h); return 0; }
int cublasDestroy_v2(Blas* h) { if (!valid(h)) return 1; handles.erase(h); delete h; return 0; }
int cublasGetVersion_v2(Blas* h, int* v) { if (!valid(h)) return 1; *v = 130000; return 0; }
int cublasSetStream_v2(Blas* h, void* s) { if (!valid(h)) return 1; h->stream = s; return 0; }
int cublasSetMathMode(Blas* h, int mode) { if (!valid(h)) return 1; if (mode < 0 || mode > 3) return 7; h->math = mode; return 0; }
int cublasSetPointerMode_v2(Blas* h, int mode) { if (!valid(h)) return 1; if (mode < 0 || mode > 1) return 7; h->pointerMode = mode; return 0; }

}  // extern "C"

// Column-major C[m x n] = alpha op(A) op(B) + beta C; op = 0 (N), 1 (T) or 2 (C, = T for reals). C is not read when beta = 0.
template <typename T> static int gemm(Blas* h, int ta, int tb, int m, int n, int k, const T* alpha, uint64_t a, int lda,
                                      uint64_t b, int ldb, const T* beta, uint64_t c, int ldc) {
    if (!valid(h)) return 1;
    if (h->math != 0 || h->pointerMode != 0 || h->stream != &fake_stream) return 15;   // not what ndopt sets up
    if (ta < 0 || ta > 2 || tb < 0 || tb > 2 || m < 0 || n < 0 || k < 0) return 7;
    if (lda < std::max(1, ta == 0 ? m : k) || ldb < std::max(1, tb == 0 ? k : n) || ldc < std::max(1, m)) return 7;
    if (m == 0 || n == 0) return 0;
    if (!inside(a) || !inside(b) || !inside(c)) return 13;
    const T* A = reinterpret_cast<const T*>(a);
    const T* B = reinterpret_cast<const T*>(b);
    T* C = reinterpret_cast<T*>(c);
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int l = 0; l < k; l++) {
                double x = ta == 0 ? A[i + (size_t) l * lda] : A[l + (size_t) i * lda];
                double y = tb == 0 ? B[l + (size_t) j * ldb] : B[j + (size_t) l * ldb];
                s += x * y;
            }
            T& out = C[i + (size_t) j * ldc];
            out = T(*alpha * s + (*beta == 0 ? 0.0 : *beta * (double) out));
        }
    }
    return 0;
}
extern "C" {
int cublasSgemm_v2(Blas* h, int ta, int tb, int m, int n, int k, const float* alpha, uint64_t a, int lda, uint64_t b,
                   int ldb, const float* beta, uint64_t c, int ldc) {
    return gemm<float>(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
int cublasDgemm_v2(Blas* h, int ta, int tb, int m, int n, int k, const double* alpha, uint64_t a, int lda, uint64_t b,
                   int ldb, const double* beta, uint64_t c, int ldc) {
    return gemm<double>(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
}
