// ndopt CUDA kernels: shared helpers. Compiled by NVRTC at run time (see io.ndopt.internal.cuda) with
// --fmad=false and IEEE division/sqrt, so that every float operation rounds exactly as the JVM's
// does and the GPU reproduces the CPU kernels' arithmetic, operation by operation.
#pragma once

// Flags of one launch (io.ndopt.device.KernelScalars.flags): which terms of the step are present.
#define NDOPT_DECAY     1   // w = decayFactor * w               (decoupled weight decay)
#define NDOPT_L2        2   // d = d + l2 * w                    (coupled L2)
#define NDOPT_PROX      4   // w = soft(w, threshold)            (proximal L1)
#define NDOPT_AMSGRAD   8   // vmax = max(vmax, v)
#define NDOPT_MOMENTUM 16   // SGD momentum buffer
#define NDOPT_FIRST    32   // the first step: buf = d
#define NDOPT_NESTEROV 64
#define NDOPT_CENTERED 128  // RMSprop: grad_avg
#define NDOPT_RECTIFY  256  // RAdam: rho_t > 5, the rectified step

// 16 bytes of consecutive elements (4 floats or 2 doubles): one vectorized load or store.
template <typename T> struct __align__(16) Pack {
    static const int N = 16 / sizeof(T);
    T v[N];
};

template <typename T> __device__ __forceinline__ bool aligned16(const T* p) {
    return (reinterpret_cast<unsigned long long>(p) & 15ull) == 0;
}

template <typename T> __device__ __forceinline__ Pack<T> load(const T* a, long long k) {
    return reinterpret_cast<const Pack<T>*>(a)[k];
}

template <typename T> __device__ __forceinline__ void store(T* a, long long k, const Pack<T>& x) {
    reinterpret_cast<Pack<T>*>(a)[k] = x;
}

__device__ __forceinline__ float root(float x) { return sqrtf(x); }
__device__ __forceinline__ double root(double x) { return sqrt(x); }

// Soft threshold as p - clamp(p, -t, t): p - t where p > t, p + t where p < -t, else +0; NaN stays NaN
// (the outer subtraction carries it whatever the clamp gives), as io.ndopt.regularize.Prox.softThreshold.
template <typename T> __device__ __forceinline__ T soft(T p, T t) {
    T c = p > t ? t : (p < -t ? -t : p);
    return p - c;
}

// Java's Math.max for the non-negative, finite values AMSGrad sees.
template <typename T> __device__ __forceinline__ T maxOf(T a, T b) { return a >= b ? a : b; }

__device__ __forceinline__ long long firstIndex() { return blockIdx.x * (long long) blockDim.x + threadIdx.x; }
__device__ __forceinline__ long long gridStride() { return (long long) gridDim.x * blockDim.x; }

// Sum of x over the threads of a block of NDOPT_REDUCE_THREADS threads, in a fixed tree order (every
// thread gets the total). Every kernel that calls it is launched with that many threads per block.
#define NDOPT_REDUCE_THREADS 256

__device__ __forceinline__ double blockSum(double x) {
    __shared__ double part[NDOPT_REDUCE_THREADS];
    part[threadIdx.x] = x;
    __syncthreads();
    for (int half = NDOPT_REDUCE_THREADS / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) part[threadIdx.x] = part[threadIdx.x] + part[threadIdx.x + half];
        __syncthreads();
    }
    return part[0];
}
