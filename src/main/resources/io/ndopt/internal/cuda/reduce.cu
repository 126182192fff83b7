// Sum of squares of a gradient buffer, for the global norm (clipping) and the non-finite check:
// NaN or Inf anywhere makes the sum non-finite. Deterministic: a fixed grid writes one partial sum
// per block (fixed-order tree inside the block), and one block adds the partials in a fixed order,
// so two runs give bitwise-equal sums. Squares are accumulated in double for both dtypes.
#include "common.cuh"

template <typename T> __device__ void sumSquaresPartial(const T* __restrict__ g, long long n, double* partial) {
    double acc = 0;
    for (long long i = firstIndex(); i < n; i += gridStride()) {
        double x = (double) g[i];
        acc = acc + x * x;
    }
    double total = blockSum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = total;
}

// Launched with NDOPT_REDUCE_THREADS threads per block.
extern "C" __global__ void sumsq_f32(const float* g, long long n, double* partial) { sumSquaresPartial<float>(g, n, partial); }
extern "C" __global__ void sumsq_f64(const double* g, long long n, double* partial) { sumSquaresPartial<double>(g, n, partial); }

// One block: out[0] = sum of partial[0..count) in a fixed order.
extern "C" __global__ void sum_partials(const double* partial, int count, double* out) {
    double acc = 0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) acc = acc + partial[i];
    double total = blockSum(acc);
    if (threadIdx.x == 0) out[0] = total;
}
