// Structured proximal steps on the device (io.ndopt.optim.StructuredProx), run after the update kernels so a
// step with group lasso or per-weight L1 factors needs no host round trip. Arithmetic as the CPU's
// io.ndopt.regularize.FlatGroupProx: squares summed in double (also for float32), the group's scale
// max(0, 1 - t·c_g/‖w_g‖) computed in double, each element w·s rounded once to the dtype; the soft threshold as
// Prox.softThreshold in double. Only the summation order of a group's squares differs from the CPU (a fixed tree
// here, sequential there): group norms agree to rounding, so results agree to rounding except where a norm lies
// within rounding of its threshold.
#include "common.cuh"

// GroupProx.scale: 1 when there is no threshold, 0 when the norm does not exceed it, else 1 - threshold/norm
// (a NaN norm gives NaN, which the scaling spreads over the group as on the CPU).
__device__ __forceinline__ double groupScale(double norm, double threshold) {
    if (threshold <= 0) return 1;
    if (norm <= threshold) return 0;
    return 1 - threshold / norm;
}

template <typename T> __device__ __forceinline__ void scaleBy(T* w, double s) {
    if (s != 1) *w = s == 0 ? (T) 0 : (T) ((double) *w * s);
}

// Groups of `size` elements at w[base + g·groupStride + i·elemStride] (rows: stride cols, 1; columns: 1, cols).
// One block per group (grid-stride over groups); launched with NDOPT_REDUCE_THREADS threads.
template <typename T> __device__ void groupShrinkStrided(T* w, long long base, int groups, long long groupStride,
                                                         long long size, long long elemStride, const double* c,
                                                         double t) {
    for (int g = blockIdx.x; g < groups; g += gridDim.x) {
        T* p = w + base + g * groupStride;
        double acc = 0;
        for (long long i = threadIdx.x; i < size; i += blockDim.x) {
            double x = (double) p[i * elemStride];
            acc = acc + x * x;
        }
        double s = groupScale(sqrt(blockSum(acc)), t * c[g]);
        for (long long i = threadIdx.x; i < size; i += blockDim.x) scaleBy(p + i * elemStride, s);
        __syncthreads();                      // blockSum's scratch is reused by the next group
    }
}

// Groups given by their members (store offsets): group g is members[starts[g] .. starts[g+1]).
template <typename T> __device__ void groupShrinkIndexed(T* w, const long long* members, const long long* starts,
                                                         int groups, const double* c, double t) {
    for (int g = blockIdx.x; g < groups; g += gridDim.x) {
        long long from = starts[g], to = starts[g + 1];
        double acc = 0;
        for (long long i = from + threadIdx.x; i < to; i += blockDim.x) {
            double x = (double) w[members[i]];
            acc = acc + x * x;
        }
        double s = groupScale(sqrt(blockSum(acc)), t * c[g]);
        for (long long i = from + threadIdx.x; i < to; i += blockDim.x) scaleBy(w + members[i], s);
        __syncthreads();
    }
}

// w = soft(w, t·f) per weight: float32 forms t·f in float (as the CPU's (float) t * f) and thresholds in double.
template <typename T> __device__ void l1Factors(T* w, const T* f, long long n, double t) {
    for (long long i = firstIndex(); i < n; i += gridStride()) {
        double tf = (double) ((T) t * f[i]);
        w[i] = (T) soft<double>((double) w[i], tf);
    }
}

#define NDOPT_PROX_KERNELS(T, S) \
extern "C" __global__ void group_shrink_strided_##S(T* w, long long base, int groups, long long groupStride, \
        long long size, long long elemStride, const double* c, double t) { \
    groupShrinkStrided<T>(w, base, groups, groupStride, size, elemStride, c, t); } \
extern "C" __global__ void group_shrink_indexed_##S(T* w, const long long* members, const long long* starts, \
        int groups, const double* c, double t) { groupShrinkIndexed<T>(w, members, starts, groups, c, t); } \
extern "C" __global__ void prox_l1_factors_##S(T* w, const T* f, long long n, double t) { l1Factors<T>(w, f, n, t); }

NDOPT_PROX_KERNELS(float, f32)
NDOPT_PROX_KERNELS(double, f64)
