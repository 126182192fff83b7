// A stand-in for libcuda.so.1, libnvrtc.so and libcublas.so for tests on machines without a GPU (built by
// io.ndopt.device.FakeCuda with g++). It exports every function of ndopt's binding tables:
// "device memory" is host memory, a "module" is this library, and a launch runs ndopt's real
// kernel sources (optim.cu, reduce.cu, nn.cu, family.cu, compiled here for the host with -ffp-contract=off) with one
// worker thread per CUDA thread of a block where the kernel synchronizes (__syncthreads), the blocks
// one after another.
// It checks what a real driver would reject (unknown kernels, missing options, bad pointers) and
// fails cuMemAlloc above 1 GiB with CUDA_ERROR_OUT_OF_MEMORY, so error reporting can be tested.
// cuBLAS: a naive column-major gemm (accumulated in double) with cuBLAS's argument checks; it also
// refuses a handle not set to CUBLAS_DEFAULT_MATH or CUBLAS_TF32_TENSOR_OP_MATH, host pointer mode and ndopt's
// stream, and a gemm under stream capture on a handle without a workspace (cublasSetWorkspace_v2, which capturing
// cuBLAS needs). Tensor-core emulation: under TF32 math, cublasSgemm rounds its inputs to TF32 (10 fraction bits,
// nearest even) and accumulates in float; cublasGemmEx with bfloat16 or float16 A and B (exact in float), a float C
// and CUBLAS_COMPUTE_32F accumulates in float.
// float is float here (x86-64 SSE: FLT_EVAL_METHOD 0, -ffp-contract=off), so nn.cu's float kernels are not promoted.
// Stream capture records launches, device copies and gemms and replays them from a graph (see Graph below).
// Test hooks (fakeCount, fakeFailFrees, fakeSetDriverVersion, fakeBreak; see "test hooks" below) count live objects
// (allocations, modules, primary-context references, cuBLAS handles, graphs, streams) and host copies, inject failing
// frees, set the reported driver version, and break a copy of this library (its NVRTC and cuBLAS do not start).
#include <algorithm>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <math.h>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>
#include <cfloat>
static_assert(FLT_EVAL_METHOD == 0, "float arithmetic must round to float (no x87 promotion)");

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
inline int __float_as_int(float x) { int v; memcpy(&v, &x, sizeof v); return v; }
inline unsigned __float_as_uint(float x) { unsigned v; memcpy(&v, &x, sizeof v); return v; }
inline float __uint_as_float(unsigned v) { float x; memcpy(&x, &v, sizeof x); return x; }

#include "optim.cu"
#include "reduce.cu"
#include "nn.cu"
#include "family.cu"
#include "mixed.cu"
#include "prox.cu"

// ---- kernels by name: cuLaunchKernel's void** params are read in each kernel's parameter order, the types
// deduced from the kernel's own signature, and copied into a closure (so a captured launch keeps its values
// after the caller's argument memory is gone).
typedef std::function<void()> Call;
template <typename... Args, size_t... I>
static Call bindAt(void (*fn)(Args...), void** p, std::index_sequence<I...>) {
    std::tuple<std::decay_t<Args>...> values{*static_cast<std::decay_t<Args>*>(p[I])...};
    return [fn, values] { std::apply(fn, values); };
}
template <typename... Args> static Call bind(void (*fn)(Args...), void** p) {
    return bindAt(fn, p, std::index_sequence_for<Args...>{});
}
struct Kernel { const char* name; Call (*bind)(void**); bool syncs; };  // syncs: uses __syncthreads
#define K(f, syncs) {#f, [](void** p) { return bind(f, p); }, syncs}
#define NN(S) K(bias_act_##S, false), K(bias_softmax_##S, false), K(act_backward_##S, false), \
    K(softmax_backward_##S, false), K(bias_grad_##S, false), K(loss_mse_##S, true), K(loss_bce_##S, true), \
    K(loss_softmax_ce_##S, true), K(multiply_##S, false), K(gather_rows_##S, false), K(gather_rows_at_##S, false)
#define FAMILY(S) K(af_rows_##S, false), K(af_cols_##S, false), K(af_row_mean_##S, false), K(af_sum_u_##S, true), \
    K(af_update_##S, false), K(mu_momentum_##S, false), K(mu_normalize_##S, false), K(mu_combine_##S, false), \
    K(mu_axpy_##S, false), K(mu_apply_##S, false)
static const Kernel KERNELS[] = {
    K(sgd_f32, false), K(sgd_f64, false), K(adam_f32, false), K(adam_f64, false),
    K(sf_adamw_f32, false), K(sf_adamw_f64, false),
    K(sumsq_f32, true), K(sumsq_f64, true), K(sum_partials, true), K(mean_partials, true),
    NN(f32), NN(f64), K(advance_cursor, false),
    K(rmsprop_f32, false), K(rmsprop_f64, false), K(adagrad_f32, false), K(adagrad_f64, false),
    K(adadelta_f32, false), K(adadelta_f64, false), K(adamax_f32, false), K(adamax_f64, false),
    K(nadam_f32, false), K(nadam_f64, false), K(radam_f32, false), K(radam_f64, false),
    K(rprop_f32, false), K(rprop_f64, false), K(lion_f32, false), K(lion_f64, false),
    FAMILY(f32), FAMILY(f64),
    K(to_bf16, false), K(to_f16, false), K(scale_f32, false), K(unscale_check_f32, false),
    K(group_shrink_strided_f32, true), K(group_shrink_strided_f64, true), K(group_shrink_indexed_f32, true),
    K(group_shrink_indexed_f64, true), K(prox_l1_factors_f32, false), K(prox_l1_factors_f64, false)
};

// Workers for kernels that synchronize: one per thread of a block, created once and reused.
struct Pool {
    unsigned size;
    std::barrier<> start, done, sync;
    const Call* call = nullptr;
    unsigned block = 0;
    explicit Pool(unsigned n) : size(n), start(n + 1), done(n + 1), sync(n) {
        for (unsigned t = 0; t < n; t++) {
            std::thread([this, t] {
                for (;;) {
                    start.arrive_and_wait();
                    blockIdx = {block, 0, 0};
                    threadIdx = {t, 0, 0};
                    (*call)();
                    done.arrive_and_wait();
                }
            }).detach();
        }
    }
    void runBlock(const Call* c, unsigned b) {
        call = c; block = b;
        blockBarrier = &sync;
        start.arrive_and_wait();
        done.arrive_and_wait();
    }
};
static Pool* pool;

static std::set<uintptr_t> allocations;
// Stream capture (one stream): between cuStreamBeginCapture_v2 and cuStreamEndCapture, kernel launches, device-to-
// device copies, memsets and gemms are recorded as closures over copies of their arguments; a graph replays them in
// order. Host copies, alloc, free and synchronization during capture fail with CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED
// (as a real driver's synchronization and allocation do; ndopt refuses host copies itself).
struct Graph { std::vector<std::function<int()>> steps; };
static Graph* capture = nullptr;
static std::set<Graph*> graphs, execs;
static bool capturing() { return capture != nullptr; }
static int launches = 0;
static std::map<std::string, int> launchesByName;
// Test hooks' state (see "test hooks" below): a driver version to report, a broken copy, injected failures and
// live-object counts.
static int driverVersion = 13000;
static bool broken = false;          // this copy of the library fails cuInit, nvrtcVersion and cublasCreate_v2
static int failFrees = 0;            // the next failFrees cuMemFree_v2 calls fail (and free nothing)
static int modulesLoaded = 0, contextRefs = 0, streams = 0, copiesHtoD = 0, copiesDtoH = 0;
static int fake_module, fake_context, fake_stream, fake_event;

extern "C" {
// ---------------------------------------------------------------- driver API
int cuInit(unsigned flags) { return broken ? 3 : flags == 0 ? 0 : 1; }
int cuDriverGetVersion(int* v) { *v = driverVersion; return 0; }
int cuGetErrorName(int e, const char** s) {
    switch (e) {
        case 0: *s = "CUDA_SUCCESS"; return 0;
        case 1: *s = "CUDA_ERROR_INVALID_VALUE"; return 0;
        case 2: *s = "CUDA_ERROR_OUT_OF_MEMORY"; return 0;
        case 101: *s = "CUDA_ERROR_INVALID_DEVICE"; return 0;
        case 500: *s = "CUDA_ERROR_NOT_FOUND"; return 0;
        case 900: *s = "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED"; return 0;
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
        case 900: *s = "operation not permitted when stream is capturing"; return 0;
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
int cuDevicePrimaryCtxRetain(void** ctx, int dev) { if (dev != 0) return 101; *ctx = &fake_context; contextRefs++; return 0; }
int cuDevicePrimaryCtxRelease_v2(int dev) { if (dev != 0 || contextRefs == 0) return 101; contextRefs--; return 0; }
int cuCtxSetCurrent(void* ctx) { return ctx == &fake_context ? 0 : 1; }
int cuCtxSynchronize() { if (capturing()) return 900; return 0; }
int cuStreamCreate(void** s, unsigned) { *s = &fake_stream; streams++; return 0; }
int cuStreamSynchronize(void* s) { if (capturing()) return 900; return s == &fake_stream || s == nullptr ? 0 : 1; }
int cuStreamDestroy_v2(void* s) { if (s != &fake_stream || streams == 0) return 1; streams--; return 0; }
int cuEventCreate(void** e, unsigned) { *e = &fake_event; return 0; }
int cuEventRecord(void* e, void*) { return e == &fake_event ? 0 : 1; }
int cuEventSynchronize(void* e) { return e == &fake_event ? 0 : 1; }
int cuEventElapsedTime_v2(float* ms, void*, void*) { *ms = 0.001f; return 0; }
int cuEventDestroy_v2(void* e) { return e == &fake_event ? 0 : 1; }
int cuMemAlloc_v2(uint64_t* p, size_t bytes) { if (capturing()) return 900;
    if (bytes == 0) return 1;
    if (bytes > (size_t(1) << 30)) return 2;
    void* m = aligned_alloc(256, (bytes + 255) / 256 * 256);
    if (!m) return 2;
    allocations.insert(uintptr_t(m));
    *p = uint64_t(uintptr_t(m));
    return 0;
}
int cuMemFree_v2(uint64_t p) { if (capturing()) return 900;
    if (failFrees > 0) { failFrees--; return 1; }
    if (!allocations.erase(uintptr_t(p))) return 1;
    free(reinterpret_cast<void*>(p));
    return 0;
}
static bool inside(uint64_t p) {   // p lies in some allocation (start <= p)
    auto it = allocations.upper_bound(uintptr_t(p));
    return it != allocations.begin();
}
int cuMemcpyHtoDAsync_v2(uint64_t dst, const void* src, size_t n, void*) { if (capturing()) return 900; if (!inside(dst)) return 1; copiesHtoD++; memcpy(reinterpret_cast<void*>(dst), src, n); return 0; }
int cuMemcpyDtoHAsync_v2(void* dst, uint64_t src, size_t n, void*) { if (capturing()) return 900; if (!inside(src)) return 1; copiesDtoH++; memcpy(dst, reinterpret_cast<void*>(src), n); return 0; }
int cuMemcpyDtoDAsync_v2(uint64_t dst, uint64_t src, size_t n, void*) {
    if (!inside(dst) || !inside(src)) return 1;
    auto step = [=] { memcpy(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), n); return 0; };
    if (capture) { capture->steps.push_back(step); return 0; }
    return step();
}
int cuMemsetD8Async(uint64_t dst, unsigned char v, size_t n, void*) {
    if (!inside(dst)) return 1;
    auto step = [=] { memset(reinterpret_cast<void*>(dst), v, n); return 0; };
    if (capture) { capture->steps.push_back(step); return 0; }
    return step();
}
int cuModuleLoadData(void** m, const void* image) {
    if (strncmp(static_cast<const char*>(image), "FAKECUBIN", 9) != 0) return 1;
    *m = &fake_module;
    modulesLoaded++;
    return 0;
}
int cuModuleGetFunction(void** f, void* m, const char* name) {
    if (m != &fake_module) return 1;
    for (const Kernel& k : KERNELS) if (strcmp(k.name, name) == 0) { *f = const_cast<Kernel*>(&k); return 0; }
    return 500;
}
int cuModuleUnload(void* m) { if (m != &fake_module || modulesLoaded == 0) return 1; modulesLoaded--; return 0; }
int cuOccupancyMaxActiveBlocksPerMultiprocessor(int* n, void*, int block, size_t) { *n = block <= 1024 ? 2 : 0; return 0; }
// Runs one launch: every block, the threads of a block one after another unless the kernel synchronizes.
static int run(const Kernel* k, const Call& call, unsigned gx, unsigned bx) {
    gridDim = {gx, 1, 1};
    blockDim = {bx, 1, 1};
    for (unsigned b = 0; b < gx; b++) {
        if (!k->syncs) {             // no barrier inside: the block's threads can run one after another
            for (unsigned t = 0; t < bx; t++) { blockIdx = {b, 0, 0}; threadIdx = {t, 0, 0}; call(); }
            continue;
        }
        if (!pool) pool = new Pool(bx);
        if (pool->size != bx) return 1;      // ndopt launches every synchronizing kernel with the same block size
        pool->runBlock(&call, b);
    }
    launches++;
    launchesByName[k->name]++;
    return 0;
}

int cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared,
                   void* stream, void** params, void** extra) {
    if (gx == 0 || bx == 0 || bx > 1024 || gy != 1 || gz != 1 || by != 1 || bz != 1 || extra != nullptr || params == nullptr) return 1;
    const Kernel* k = static_cast<const Kernel*>(f);
    Call call = k->bind(params);
    if (capture) {
        if (stream != &fake_stream) return 1;
        capture->steps.push_back([k, call, gx, bx] { return run(k, call, gx, bx); });
        return 0;
    }
    return run(k, call, gx, bx);
}
int cuStreamBeginCapture_v2(void* s, int mode) {
    if (s != &fake_stream || mode < 0 || mode > 2) return 1;
    if (capture) return 1;                               // already capturing
    capture = new Graph();
    return 0;
}
int cuStreamEndCapture(void* s, void** graph) {
    if (s != &fake_stream || !capture) return 1;
    graphs.insert(capture);
    *graph = capture;
    capture = nullptr;
    return 0;
}
int cuStreamIsCapturing(void* s, int* status) { if (s != &fake_stream) return 1; *status = capture ? 1 : 0; return 0; }
int cuGraphInstantiateWithFlags(void** exec, void* graph, unsigned long long flags) {
    if (!graphs.count(static_cast<Graph*>(graph)) || flags != 0) return 1;
    Graph* e = new Graph(*static_cast<Graph*>(graph));
    execs.insert(e);
    *exec = e;
    return 0;
}
int cuGraphLaunch(void* exec, void* s) {
    if (!execs.count(static_cast<Graph*>(exec)) || s != &fake_stream) return 1;
    if (capture) return 900;
    for (auto& step : static_cast<Graph*>(exec)->steps) if (int rc = step()) return rc;
    return 0;
}
int cuGraphExecDestroy(void* exec) { if (!execs.erase(static_cast<Graph*>(exec))) return 1; delete static_cast<Graph*>(exec); return 0; }
int cuGraphDestroy(void* graph) { if (!graphs.erase(static_cast<Graph*>(graph))) return 1; delete static_cast<Graph*>(graph); return 0; }
// test hook (not part of the CUDA API): kernel launches so far
int fakeLaunchCount() { return launches; }
// test hook: launches so far of the kernel named `name`
int fakeKernelLaunches(const char* name) { auto it = launchesByName.find(name); return it == launchesByName.end() ? 0 : it->second; }
// test hooks (not part of the CUDA API): the driver version cuDriverGetVersion reports; break this copy of the
// library (cuInit, nvrtcVersion, cublasCreate_v2 fail); make the next n cuMemFree_v2 fail; live objects:
// 0 allocations, 1 loaded modules, 2 primary-context references, 3 cuBLAS handles, 4 graphs + executable
// graphs, 5 streams; 6 and 7 host-to-device and device-to-host copies so far.
void fakeSetDriverVersion(int v) { driverVersion = v; }
void fakeBreak(int on) { broken = on != 0; }
void fakeFailFrees(int n) { failFrees = n; }
static std::set<struct Blas*>& blasHandles();
long long fakeCount(int what) {
    switch (what) {
        case 0: return (long long) allocations.size();
        case 1: return modulesLoaded;
        case 2: return contextRefs;
        case 3: return (long long) blasHandles().size();
        case 4: return (long long) (graphs.size() + execs.size());
        case 5: return streams;
        case 6: return copiesHtoD;
        case 7: return copiesDtoH;
        default: return -1;
    }
}

// ---------------------------------------------------------------- NVRTC
struct Program { std::string source, log; bool compiled = false; };
int nvrtcVersion(int* major, int* minor) { if (broken) return 1; *major = 13; *minor = 0; return 0; }
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
struct Blas { int magic = 0xb1a5; void* stream = nullptr; int math = -1, pointerMode = -1; uint64_t workspace = 0; size_t workspaceBytes = 0; };
static std::set<Blas*> handles;
static std::set<Blas*>& blasHandles() { return handles; }
static bool valid(Blas* h) { return handles.count(h) != 0; }
int cublasCreate_v2(Blas** h) { if (broken) return 1; *h = new Blas(); (*h)->math = 0; (*h)->pointerMode = 0; handles.insert(*h); return 0; }
int cublasDestroy_v2(Blas* h) { if (!valid(h)) return 1; handles.erase(h); delete h; return 0; }
int cublasGetVersion_v2(Blas* h, int* v) { if (!valid(h)) return 1; *v = 130000; return 0; }
int cublasSetStream_v2(Blas* h, void* s) { if (!valid(h)) return 1; h->stream = s; return 0; }
int cublasSetMathMode(Blas* h, int mode) { if (!valid(h)) return 1; if (mode < 0 || mode > 3) return 7; h->math = mode; return 0; }
int cublasSetPointerMode_v2(Blas* h, int mode) { if (!valid(h)) return 1; if (mode < 0 || mode > 1) return 7; h->pointerMode = mode; return 0; }
int cublasSetWorkspace_v2(Blas* h, void* workspace, size_t bytes) {
    if (!valid(h) || (bytes > 0 && !inside(uint64_t(uintptr_t(workspace))))) return 7;
    h->workspace = uint64_t(uintptr_t(workspace));
    h->workspaceBytes = bytes;
    return 0;
}

}  // extern "C"

template <typename T> static int product(int ta, int tb, int m, int n, int k, T alpha, uint64_t a, int lda, uint64_t b,
                                         int ldb, T beta, uint64_t c, int ldc);
static int tf32Product(int ta, int tb, int m, int n, int k, float alpha, uint64_t a, int lda, uint64_t b, int ldb,
                       float beta, uint64_t c, int ldc);
// Column-major C[m x n] = alpha op(A) op(B) + beta C; op = 0 (N), 1 (T) or 2 (C, = T for reals). C is not read when beta = 0.
template <typename T> static int gemm(Blas* h, int ta, int tb, int m, int n, int k, const T* alpha, uint64_t a, int lda,
                                      uint64_t b, int ldb, const T* beta, uint64_t c, int ldc) {
    if (!valid(h)) return 1;
    if ((h->math != 0 && h->math != 3) || h->pointerMode != 0 || h->stream != &fake_stream) return 15;   // not ndopt's setup
    if (ta < 0 || ta > 2 || tb < 0 || tb > 2 || m < 0 || n < 0 || k < 0) return 7;
    if (lda < std::max(1, ta == 0 ? m : k) || ldb < std::max(1, tb == 0 ? k : n) || ldc < std::max(1, m)) return 7;
    if (m == 0 || n == 0) return 0;
    if (!inside(a) || !inside(b) || !inside(c)) return 13;
    if (capture) {   // recorded with copies of the scalars; cuBLAS needs a workspace of its own to be captured
        if (h->workspaceBytes == 0) return 14;
        T al = *alpha, be = *beta;
        bool tf = std::is_same_v<T, float> && h->math == 3;
        capture->steps.push_back([=] {
            return tf ? tf32Product(ta, tb, m, n, k, al, a, lda, b, ldb, be, c, ldc)
                      : product<T>(ta, tb, m, n, k, al, a, lda, b, ldb, be, c, ldc);
        });
        return 0;
    }
    if constexpr (std::is_same_v<T, float>) {
        if (h->math == 3) return tf32Product(ta, tb, m, n, k, *alpha, a, lda, b, ldb, *beta, c, ldc);
    }
    return product<T>(ta, tb, m, n, k, *alpha, a, lda, b, ldb, *beta, c, ldc);
}
template <typename T> static int product(int ta, int tb, int m, int n, int k, T alpha, uint64_t a, int lda, uint64_t b,
                                         int ldb, T beta, uint64_t c, int ldc) {
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
            out = T(alpha * s + (beta == 0 ? 0.0 : beta * (double) out));
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

// ---------------------------------------------------------------- tensor-core emulation
static float tf32(float x) {              // 10 fraction bits, round to nearest even (NaN and infinity kept)
    unsigned f = __float_as_uint(x);
    if ((f & 0x7f800000u) == 0x7f800000u) return x;
    return __uint_as_float((f + 0xfffu + ((f >> 13) & 1u)) & 0xffffe000u);
}
static float bf16(uint16_t v) { return __uint_as_float(unsigned(v) << 16); }
static float f16(uint16_t v) {            // IEEE binary16 -> float, exact
    unsigned sign = unsigned(v & 0x8000u) << 16, e = (v >> 10) & 0x1fu, m = v & 0x3ffu;
    if (e == 0x1f) return __uint_as_float(sign | 0x7f800000u | (m << 13));
    if (e == 0) return (sign ? -1.0f : 1.0f) * std::ldexp(float(m), -24);
    return __uint_as_float(sign | ((e + 112u) << 23) | (m << 13));
}
// Column-major C = alpha op(A) op(B) + beta C with float accumulation in k order; A and B read through `in`.
template <typename In> static int floatProduct(In in, int ta, int tb, int m, int n, int k, float alpha, uint64_t a,
                                               int lda, uint64_t b, int ldb, float beta, uint64_t c, int ldc) {
    float* C = reinterpret_cast<float*>(c);
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
            float s = 0;
            for (int l = 0; l < k; l++) {
                float x = in(a, ta == 0 ? i + (size_t) l * lda : l + (size_t) i * lda);
                float y = in(b, tb == 0 ? l + (size_t) j * ldb : j + (size_t) l * ldb);
                s += x * y;
            }
            float& out = C[i + (size_t) j * ldc];
            out = alpha * s + (beta == 0 ? 0.0f : beta * out);
        }
    }
    return 0;
}
static int tf32Product(int ta, int tb, int m, int n, int k, float alpha, uint64_t a, int lda, uint64_t b, int ldb,
                       float beta, uint64_t c, int ldc) {
    auto in = [](uint64_t p, size_t i) { return tf32(reinterpret_cast<const float*>(p)[i]); };
    return floatProduct(in, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
static int halfProduct(int type, int ta, int tb, int m, int n, int k, float alpha, uint64_t a, int lda, uint64_t b,
                       int ldb, float beta, uint64_t c, int ldc) {
    if (type == 14) {
        auto in = [](uint64_t p, size_t i) { return bf16(reinterpret_cast<const uint16_t*>(p)[i]); };
        return floatProduct(in, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
    auto in = [](uint64_t p, size_t i) { return f16(reinterpret_cast<const uint16_t*>(p)[i]); };
    return floatProduct(in, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
extern "C" {
// cudaDataType_t: CUDA_R_32F 0, CUDA_R_16F 2, CUDA_R_16BF 14; cublasComputeType_t CUBLAS_COMPUTE_32F 68;
// cublasGemmAlgo_t CUBLAS_GEMM_DEFAULT -1. Only what ndopt uses: 16-bit A and B of one type, float C, compute 32F.
int cublasGemmEx(Blas* h, int ta, int tb, int m, int n, int k, const void* alpha, uint64_t a, int atype, int lda,
                 uint64_t b, int btype, int ldb, const void* beta, uint64_t c, int ctype, int ldc, int compute, int algo) {
    if (!valid(h)) return 1;
    if ((h->math != 0 && h->math != 3) || h->pointerMode != 0 || h->stream != &fake_stream) return 15;
    if ((atype != 2 && atype != 14) || btype != atype || ctype != 0 || compute != 68 || algo != -1) return 15;
    if (ta < 0 || ta > 2 || tb < 0 || tb > 2 || m < 0 || n < 0 || k < 0) return 7;
    if (lda < std::max(1, ta == 0 ? m : k) || ldb < std::max(1, tb == 0 ? k : n) || ldc < std::max(1, m)) return 7;
    if (m == 0 || n == 0) return 0;
    if (!inside(a) || !inside(b) || !inside(c)) return 13;
    float al = *static_cast<const float*>(alpha), be = *static_cast<const float*>(beta);
    if (capture) {
        if (h->workspaceBytes == 0) return 14;
        capture->steps.push_back([=] { return halfProduct(atype, ta, tb, m, n, k, al, a, lda, b, ldb, be, c, ldc); });
        return 0;
    }
    return halfProduct(atype, ta, tb, m, n, k, al, a, lda, b, ldb, be, c, ldc);
}
}
