// ndopt's dense-network passes (io.ndopt.device.DeviceOps), written once for float and double.
// Each does the arithmetic of the CPU's fused passes (io.ndopt.internal.passes.FusedPasses) in the same order,
// in the storage type T: float32 buffers compute in float (expf, tanhf, log1pf, logf; the constants rounded to
// float), float64 buffers in double, operation for operation as the CPU (which for float32 computes in double and
// rounds at each store: the float kernels agree with it to a few units in the last place, not bitwise). A value the
// CPU reads back after storing it is read back here too. Buffers are dense row-major [rows, n].
//
// Accumulations stay in double for both types: the bias gradient's column sums over the batch, the softmax and
// cross-entropy row sums and the softmax-backward dot product, and the loss value's partial sums. Each costs one
// or two double operations (add, multiply) per element it loads — memory-bound kernels afford that even where double
// runs at 1/64 of the float rate — and it keeps their error at one rounding, whatever the batch size or width (a
// float sum over 4096 rows could lose ~12 bits). The per-element math (activations, their derivatives, exp/log of
// the losses: dozens of operations each) is where double cost 32-64x on such GPUs, and it is float.
#include "common.cuh"

// Activation codes: io.ndopt.nn.Activation's ordinals.
#define NDOPT_IDENTITY 0
#define NDOPT_RELU 1
#define NDOPT_LEAKY_RELU 2
#define NDOPT_TANH 3
#define NDOPT_SIGMOID 4
#define NDOPT_LEAKY_SLOPE 0.01   // io.ndopt.nn.Activation.LEAKY_SLOPE

// The math functions in the storage type (float: the single-precision functions, no promotion to double).
__device__ __forceinline__ float ex(float x) { return expf(x); }
__device__ __forceinline__ double ex(double x) { return exp(x); }
__device__ __forceinline__ float th(float x) { return tanhf(x); }
__device__ __forceinline__ double th(double x) { return tanh(x); }
__device__ __forceinline__ float lg(float x) { return logf(x); }
__device__ __forceinline__ double lg(double x) { return log(x); }
__device__ __forceinline__ float lg1p(float x) { return log1pf(x); }
__device__ __forceinline__ double lg1p(double x) { return log1p(x); }
__device__ __forceinline__ float absv(float x) { return fabsf(x); }
__device__ __forceinline__ double absv(double x) { return fabs(x); }

// tanh'(z) = 1 - a² from a = tanh(z). double: as the CPU writes it. float: (1 - a)(1 + a), which does not cancel
// where tanh saturates (1 - a is exact for a in [0.5, 1]), so it stays within 2 ulps of the CPU's double result.
__device__ __forceinline__ double tanhSlope(double v) { return 1 - v * v; }
__device__ __forceinline__ float tanhSlope(float v) { return (1.0f - v) * (1.0f + v); }

// The sign bit (so -0 counts as negative).
__device__ __forceinline__ bool negativeSign(float x) { return __float_as_int(x) < 0; }
__device__ __forceinline__ bool negativeSign(double x) { return __double_as_longlong(x) < 0; }

// Java's Math.max: NaN if a is NaN (a >= NaN is false, so b's NaN too), +0 over -0.
template <typename T> __device__ __forceinline__ T javaMax(T a, T b) {
    if (a != a) return a;
    if (a == 0 && b == 0 && negativeSign(a)) return b;
    return a >= b ? a : b;
}

__device__ __forceinline__ double negativeInfinity() { return __longlong_as_double((long long) 0xfff0000000000000ull); }

// act(v) for every activation but softmax.
template <typename T> __device__ __forceinline__ T activate(T v, int act) {
    switch (act) {
        case NDOPT_RELU: return v <= 0 ? (T) 0 : v;                  // NaN stays NaN
        case NDOPT_LEAKY_RELU: return v > 0 ? v : (T) NDOPT_LEAKY_SLOPE * v;
        case NDOPT_TANH: return th(v);
        case NDOPT_SIGMOID: return (T) 1 / ((T) 1 + ex(-v));
        default: return v;
    }
}

// z = z + b (b broadcast over rows), a = act(z), one element per thread (not softmax).
template <typename T> __device__ void biasAct(T* z, const T* b, T* a, long long len, int n, int act) {
    for (long long i = firstIndex(); i < len; i += gridStride()) {
        T zi = z[i] + b[i % n];
        z[i] = zi;
        a[i] = activate(zi, act);
    }
}

// z = z + b, a = softmax(z) over each row, one row per thread: e = exp(z - max) is stored rounded into
// a and summed in double, then a = a / sum reads the rounded value back.
template <typename T> __device__ void biasSoftmax(T* z, const T* b, T* a, int rows, int n) {
    for (long long r = firstIndex(); r < rows; r += gridStride()) {
        T* zr = z + r * n;
        T* ar = a + r * n;
        for (int j = 0; j < n; j++) zr[j] = zr[j] + b[j];
        T max = (T) negativeInfinity();
        for (int j = 0; j < n; j++) max = javaMax(max, zr[j]);
        double sum = 0;
        for (int j = 0; j < n; j++) {
            T e = ex(zr[j] - max);
            ar[j] = e;
            sum += (double) e;
        }
        T s = (T) sum;
        for (int j = 0; j < n; j++) ar[j] = ar[j] / s;
    }
}

// d = act'(z) * d in place, one element per thread (not softmax); d is left alone where the CPU leaves it.
template <typename T> __device__ void actBackward(const T* z, const T* a, T* d, long long len, int act) {
    for (long long i = firstIndex(); i < len; i += gridStride()) {
        switch (act) {
            case NDOPT_RELU:                                             // 1[z > 0]
                if (!(z[i] > 0)) d[i] = (T) 0;
                break;
            case NDOPT_LEAKY_RELU:
                if (!(z[i] > 0)) d[i] = d[i] * (T) NDOPT_LEAKY_SLOPE;
                break;
            case NDOPT_TANH:
                d[i] = d[i] * tanhSlope(a[i]);
                break;
            case NDOPT_SIGMOID: {
                T v = a[i];
                d[i] = d[i] * (v * ((T) 1 - v));
                break;
            }
            default: break;
        }
    }
}

// d = a * (d - sum_j d*a) over each row (softmax), one row per thread; the dot product in double.
template <typename T> __device__ void softmaxBackward(const T* a, T* d, int rows, int n) {
    for (long long r = firstIndex(); r < rows; r += gridStride()) {
        const T* ar = a + r * n;
        T* dr = d + r * n;
        double dot = 0;
        for (int j = 0; j < n; j++) dot += (double) dr[j] * (double) ar[j];
        T dt = (T) dot;
        for (int j = 0; j < n; j++) dr[j] = ar[j] * (dr[j] - dt);
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

// Loss gradients, one element (row) per thread; each block's sum of the loss terms (in double) goes to
// partial[block] (a fixed-order tree, launched with NDOPT_REDUCE_THREADS threads), and mean_partials adds them.
template <typename T> __device__ void lossMse(const T* out, const T* y, T* grad, long long len, double* partial) {
    double acc = 0;
    T scale = (T) (2.0 / (double) len);
    for (long long i = firstIndex(); i < len; i += gridStride()) {      // mean((o - y)^2), grad 2(o - y)/len
        T r = out[i] - y[i];
        acc += (double) (r * r);
        grad[i] = r * scale;
    }
    double total = blockSum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = total;
}

// mean(max(z,0) - z*y + log(1 + exp(-|z|))), grad (sigmoid(z) - y)/len
template <typename T> __device__ void lossBce(const T* out, const T* y, T* grad, long long len, double* partial) {
    double acc = 0;
    T count = (T) len;
    for (long long i = firstIndex(); i < len; i += gridStride()) {
        T z = out[i], t = y[i];
        acc += (double) (javaMax(z, (T) 0) - z * t + lg1p(ex(-absv(z))));
        grad[i] = ((T) 1 / ((T) 1 + ex(-z)) - t) / count;
    }
    double total = blockSum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = total;
}

// mean_rows(log sum exp(z - m) + m - z.y), grad (softmax(z) - y)/rows; e stored rounded into grad first.
template <typename T> __device__ void lossSoftmaxCe(const T* out, const T* y, T* grad, int rows, int n,
                                                    double* partial) {
    double acc = 0;
    T count = (T) rows;
    for (long long r = firstIndex(); r < rows; r += gridStride()) {
        const T* o = out + r * n;
        const T* t = y + r * n;
        T* g = grad + r * n;
        T max = (T) negativeInfinity();
        for (int j = 0; j < n; j++) max = javaMax(max, o[j]);
        double s = 0, zy = 0;
        for (int j = 0; j < n; j++) {
            T e = ex(o[j] - max);
            g[j] = e;
            s += (double) e;
            zy += (double) o[j] * (double) t[j];
        }
        T sum = (T) s;
        acc += (double) lg(sum) + (double) max - zy;
        for (int j = 0; j < n; j++) g[j] = (g[j] / sum - t[j]) / count;
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
        for (long long i = firstIndex(); i < len; i += gridStride()) out[i] = x[i] * mask[i];                    \
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
