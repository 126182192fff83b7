// ndopt's dense-network passes (io.ndopt.device.DeviceOps), written once for float and double.
// Each does the arithmetic of the CPU's fused passes (io.ndopt.internal.passes.FusedPasses) in the same order: values
// are read as double, computed in double and rounded to T at each store, and a value the CPU reads
// back after storing it is read back here too. Buffers are dense row-major [rows, n].
#include "common.cuh"

// Activation codes: io.ndopt.nn.Activation's ordinals.
#define NDOPT_IDENTITY 0
#define NDOPT_RELU 1
#define NDOPT_LEAKY_RELU 2
#define NDOPT_TANH 3
#define NDOPT_SIGMOID 4
#define NDOPT_LEAKY_SLOPE 0.01   // io.ndopt.nn.Activation.LEAKY_SLOPE

// Java's Math.max(double, double): NaN if a is NaN (a >= NaN is false, so b's NaN too), +0 over -0.
__device__ __forceinline__ double javaMax(double a, double b) {
    if (a != a) return a;
    if (a == 0.0 && b == 0.0 && __double_as_longlong(a) < 0) return b;
    return a >= b ? a : b;
}

__device__ __forceinline__ double negativeInfinity() { return __longlong_as_double((long long) 0xfff0000000000000ull); }

// act(v) for every activation but softmax.
__device__ __forceinline__ double activate(double v, int act) {
    switch (act) {
        case NDOPT_RELU: return v <= 0 ? 0.0 : v;                  // NaN stays NaN
        case NDOPT_LEAKY_RELU: return v > 0 ? v : NDOPT_LEAKY_SLOPE * v;
        case NDOPT_TANH: return tanh(v);
        case NDOPT_SIGMOID: return 1.0 / (1.0 + exp(-v));
        default: return v;
    }
}

// z = z + b (b broadcast over rows), a = act(z), one element per thread (not softmax).
template <typename T> __device__ void biasAct(T* z, const T* b, T* a, long long len, int n, int act) {
    for (long long i = firstIndex(); i < len; i += gridStride()) {
        T zi = (T) ((double) z[i] + (double) b[i % n]);
        z[i] = zi;
        a[i] = (T) activate((double) zi, act);
    }
}

// z = z + b, a = softmax(z) over each row, one row per thread: e = exp(z - max) is stored rounded into
// a and summed unrounded, then a = a / sum reads the rounded value back.
template <typename T> __device__ void biasSoftmax(T* z, const T* b, T* a, int rows, int n) {
    for (long long r = firstIndex(); r < rows; r += gridStride()) {
        T* zr = z + r * n;
        T* ar = a + r * n;
        for (int j = 0; j < n; j++) zr[j] = (T) ((double) zr[j] + (double) b[j]);
        double max = negativeInfinity();
        for (int j = 0; j < n; j++) max = javaMax(max, (double) zr[j]);
        double sum = 0;
        for (int j = 0; j < n; j++) {
            double e = exp((double) zr[j] - max);
            ar[j] = (T) e;
            sum += e;
        }
        for (int j = 0; j < n; j++) ar[j] = (T) ((double) ar[j] / sum);
    }
}

// d = act'(z) * d in place, one element per thread (not softmax); d is left alone where the CPU leaves it.
template <typename T> __device__ void actBackward(const T* z, const T* a, T* d, long long len, int act) {
    for (long long i = firstIndex(); i < len; i += gridStride()) {
        switch (act) {
            case NDOPT_RELU:                                             // 1[z > 0]
                if (!((double) z[i] > 0)) d[i] = (T) 0.0;
                break;
            case NDOPT_LEAKY_RELU:
                if (!((double) z[i] > 0)) d[i] = (T) ((double) d[i] * NDOPT_LEAKY_SLOPE);
                break;
            case NDOPT_TANH: {
                double v = (double) a[i];
                d[i] = (T) ((double) d[i] * (1 - v * v));
                break;
            }
            case NDOPT_SIGMOID: {
                double v = (double) a[i];
                d[i] = (T) ((double) d[i] * (v * (1 - v)));
                break;
            }
            default: break;
        }
    }
}

// d = a * (d - sum_j d*a) over each row (softmax), one row per thread.
template <typename T> __device__ void softmaxBackward(const T* a, T* d, int rows, int n) {
    for (long long r = firstIndex(); r < rows; r += gridStride()) {
        const T* ar = a + r * n;
        T* dr = d + r * n;
        double dot = 0;
        for (int j = 0; j < n; j++) dot += (double) dr[j] * (double) ar[j];
        for (int j = 0; j < n; j++) dr[j] = (T) ((double) ar[j] * ((double) dr[j] - dot));
    }
}

// g[j] = sum over rows of d[., j], in row order in double, rounded once; one column per thread.
template <typename T> __device__ void biasGrad(const T* d, T* g, int rows, int n) {
    for (long long j = firstIndex(); j < n; j += gridStride()) {
        double s = 0.0;
        for (long long r = 0; r < rows; r++) s += (double) d[r * n + j];
        g[j] = (T) s;
    }
}

// Loss gradients, one element (row) per thread; each block's sum of the loss terms goes to partial[block]
// (a fixed-order tree, launched with NDOPT_REDUCE_THREADS threads), and mean_partials adds them.
template <typename T> __device__ void lossMse(const T* out, const T* y, T* grad, long long len, double* partial) {
    double acc = 0;
    for (long long i = firstIndex(); i < len; i += gridStride()) {      // mean((o - y)^2), grad 2(o - y)/len
        double r = (double) out[i] - (double) y[i];
        acc += r * r;
        grad[i] = (T) (r * (2.0 / (double) len));
    }
    double total = blockSum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = total;
}

// mean(max(z,0) - z*y + log(1 + exp(-|z|))), grad (sigmoid(z) - y)/len
template <typename T> __device__ void lossBce(const T* out, const T* y, T* grad, long long len, double* partial) {
    double acc = 0;
    for (long long i = firstIndex(); i < len; i += gridStride()) {
        double z = (double) out[i], t = (double) y[i];
        acc += javaMax(z, 0.0) - z * t + log1p(exp(-fabs(z)));
        grad[i] = (T) ((1.0 / (1.0 + exp(-z)) - t) / (double) len);
    }
    double total = blockSum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = total;
}

// mean_rows(log sum exp(z - m) + m - z.y), grad (softmax(z) - y)/rows; e stored rounded into grad first.
template <typename T> __device__ void lossSoftmaxCe(const T* out, const T* y, T* grad, int rows, int n,
                                                    double* partial) {
    double acc = 0;
    for (long long r = firstIndex(); r < rows; r += gridStride()) {
        const T* o = out + r * n;
        const T* t = y + r * n;
        T* g = grad + r * n;
        double max = negativeInfinity();
        for (int j = 0; j < n; j++) max = javaMax(max, (double) o[j]);
        double s = 0, zy = 0;
        for (int j = 0; j < n; j++) {
            double e = exp((double) o[j] - max);
            g[j] = (T) e;
            s += e;
            zy += (double) o[j] * (double) t[j];
        }
        acc += log(s) + max - zy;
        for (int j = 0; j < n; j++) g[j] = (T) (((double) g[j] / s - (double) t[j]) / (double) rows);
    }
    double total = blockSum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = total;
}

// One block: out[0] = (sum of partial[0..count) in a fixed order) / divisor.
extern "C" __global__ void mean_partials(const double* partial, int count, double divisor, double* out) {
    double acc = 0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) acc = acc + partial[i];
    double total = blockSum(acc);
    if (threadIdx.x == 0) out[0] = total / divisor;
}

#define NDOPT_NN_KERNELS(T, S)                                                                                \
    extern "C" __global__ void bias_act_##S(T* z, const T* b, T* a, long long len, int n, int act) {          \
        biasAct<T>(z, b, a, len, n, act);                                                                     \
    }                                                                                                         \
    extern "C" __global__ void bias_softmax_##S(T* z, const T* b, T* a, int rows, int n) {                    \
        biasSoftmax<T>(z, b, a, rows, n);                                                                     \
    }                                                                                                         \
    extern "C" __global__ void act_backward_##S(const T* z, const T* a, T* d, long long len, int act) {       \
        actBackward<T>(z, a, d, len, act);                                                                    \
    }                                                                                                         \
    extern "C" __global__ void softmax_backward_##S(const T* a, T* d, int rows, int n) {                      \
        softmaxBackward<T>(a, d, rows, n);                                                                    \
    }                                                                                                         \
    extern "C" __global__ void bias_grad_##S(const T* d, T* g, int rows, int n) { biasGrad<T>(d, g, rows, n); } \
    extern "C" __global__ void loss_mse_##S(const T* out, const T* y, T* grad, long long len, double* partial) { \
        lossMse<T>(out, y, grad, len, partial);                                                               \
    }                                                                                                         \
    extern "C" __global__ void loss_bce_##S(const T* out, const T* y, T* grad, long long len, double* partial) { \
        lossBce<T>(out, y, grad, len, partial);                                                               \
    }                                                                                                         \
    extern "C" __global__ void loss_softmax_ce_##S(const T* out, const T* y, T* grad, int rows, int n,        \
                                                   double* partial) {                                         \
        lossSoftmaxCe<T>(out, y, grad, rows, n, partial);                                                     \
    }                                                                                                         \
    extern "C" __global__ void multiply_##S(const T* x, const T* mask, T* out, long long len) {               \
        for (long long i = firstIndex(); i < len; i += gridStride()) out[i] = (T) ((double) x[i] * (double) mask[i]); \
    }                                                                                                         \
    extern "C" __global__ void gather_rows_##S(const T* src, const int* index, int from, int rows, int width, \
                                               T* dst) {                                                      \
        long long len = (long long) rows * width;                                                             \
        for (long long i = firstIndex(); i < len; i += gridStride()) {                                        \
            long long r = i / width, c = i - r * width;                                                       \
            dst[i] = src[(long long) index[from + r] * width + c];                                            \
        }                                                                                                     \
    }                                                                                                         \
    /* gather_rows with the start read from device memory when the kernel runs (a captured graph replays */   \
    /* it for every batch, the cursor advanced by advance_cursor). */                                         \
    extern "C" __global__ void gather_rows_at_##S(const T* src, const int* index, const int* cursor, int rows,  \
                                                  int width, T* dst) {                                        \
        long long len = (long long) rows * width;                                                             \
        int from = *cursor;                                                                                   \
        for (long long i = firstIndex(); i < len; i += gridStride()) {                                        \
            long long r = i / width, c = i - r * width;                                                       \
            dst[i] = src[(long long) index[from + r] * width + c];                                            \
        }                                                                                                     \
    }

NDOPT_NN_KERNELS(float, f32)
NDOPT_NN_KERNELS(double, f64)

// *cursor += rows, on one thread (queued after the batch's gather, so a replayed graph moves to the next batch).
extern "C" __global__ void advance_cursor(int* cursor, int rows) {
    if (firstIndex() == 0) *cursor += rows;
}
