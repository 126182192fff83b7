// The optimizer family's whole-tensor rules on the device: Adafactor (factored second moment by row and column
// reductions) and Muon (momentum, then Newton–Schulz through cuBLAS, driven from io.ndopt.internal.cuda.CudaFamily).
// Same arithmetic, in the same order, as io.ndopt.optim.ReferenceUpdate.adafactor / .muon, each operation rounded
// to T; sums (RMS, row and column means) are accumulated in double with a fixed order, so runs repeat bitwise.
// Scalars named T arrive rounded on the host; scalars read from device memory (sums) are doubles.
#include "common.cuh"

// d = gradScale*g (+ l2*w), as every rule's first line.
template <typename T> __device__ __forceinline__ T famGrad(T w, T g, T gs, T l2, int flags) {
    T d = g * gs;
    if (flags & NDOPT_L2) d = d + w * l2;
    return d;
}

// torch.lerp(a, b, weight): a + weight*(b - a) for |weight| < 0.5, else b - (b - a)*(1 - weight) (hi != 0).
template <typename T> __device__ __forceinline__ T famLerp(T a, T b, T weight, T omw, int hi) {
    T diff = b - a;
    return hi ? b - diff * omw : a + diff * weight;
}

// Java's Math.max: NaN if either is NaN.
__device__ __forceinline__ double famMax(double a, double b) { return a != a || b != b ? a + b : (a >= b ? a : b); }

// ---- Adafactor. The parameter is N matrices A×B (row-major, N·A·B elements), or a vector (N = A = 1).

// row[k, i] = lerp(row, (‖d[k, i, ·]‖)²/B, ω): one thread per row.
template <typename T> __device__ void afRows(const T* w, const T* g, T* row, long long n, long long a, long long b,
                                             T gs, T l2, T om, T omc, int hi, int flags) {
    for (long long r = firstIndex(); r < n * a; r += gridStride()) {
        const T* wr = w + r * b;
        const T* gr = g + r * b;
        double acc = 0;
        for (long long j = 0; j < b; j++) {
            double d = (double) famGrad(wr[j], gr[j], gs, l2, flags);
            acc = acc + d * d;
        }
        T norm = (T) sqrt(acc);
        T mean = norm * norm / (T) b;
        row[r] = famLerp(row[r], mean, om, omc, hi);
    }
}

// col[k, j] = lerp(col, (‖d[k, ·, j]‖)²/A, ω): one thread per column.
template <typename T> __device__ void afCols(const T* w, const T* g, T* col, long long n, long long a, long long b,
                                             T gs, T l2, T om, T omc, int hi, int flags) {
    for (long long c = firstIndex(); c < n * b; c += gridStride()) {
        long long k = c / b, j = c % b;
        double acc = 0;
        for (long long i = 0; i < a; i++) {
            long long e = (k * a + i) * b + j;
            double d = (double) famGrad(w[e], g[e], gs, l2, flags);
            acc = acc + d * d;
        }
        T norm = (T) sqrt(acc);
        T mean = norm * norm / (T) a;
        col[c] = famLerp(col[c], mean, om, omc, hi);
    }
}

// rmean[k] = max(mean(row[k, ·]), eps1): one thread per matrix.
template <typename T> __device__ void afRowMean(const T* row, long long n, long long a, double eps1, T* rmean) {
    for (long long k = firstIndex(); k < n; k += gridStride()) {
        double acc = 0;
        for (long long i = 0; i < a; i++) acc = acc + (double) row[k * a + i];
        double mean = (double) (T) (acc / (double) a);
        rmean[k] = (T) famMax(mean, eps1);
    }
}

// The second moment of element e: R·C / rmean (factored) or v[e] (vector).
template <typename T> __device__ __forceinline__ T afVar(const T* row, const T* col, const T* rmean, const T* v,
                                                          long long e, long long a, long long b) {
    if (v) return v[e];
    long long k = e / (a * b), i = (e / b) % a, j = e % b;
    return row[k * a + i] * col[k * b + j] / rmean[k];
}

// U = d / sqrt(max(V, eps1²)).
template <typename T> __device__ __forceinline__ T afU(T d, T var, T eps1sq) {
    return d / root(var >= eps1sq ? var : eps1sq);
}

// Σ U² per block into partial[blockIdx.x]; for a vector (v non-null) first v = lerp(v, d², ω).
template <typename T> __device__ void afSumU(const T* w, const T* g, const T* row, const T* col, const T* rmean,
                                            T* v, long long n, long long a, long long b, T gs, T l2, T om, T omc,
                                            int hi, T eps1sq, int flags, double* partial) {
    double acc = 0;
    for (long long e = firstIndex(); e < n * a * b; e += gridStride()) {
        T d = famGrad(w[e], g[e], gs, l2, flags);
        if (v) v[e] = famLerp(v[e], d * d, om, omc, hi);
        double u = (double) afU(d, afVar(row, col, rmean, v, e, a, b), eps1sq);
        acc = acc + u * u;
    }
    double total = blockSum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = total;
}

// w = w*decay - U*(α/max(1, RMS(U)/clip)), then the soft threshold; α = max(eps2, RMS(w))·ρ with RMS(w) of the
// values before this kernel (sums[0] = Σw², sums[1] = ΣU²).
template <typename T> __device__ void afUpdate(T* w, const T* g, const T* row, const T* col, const T* rmean,
                                              const T* v, long long n, long long a, long long b, T gs, T l2,
                                              T eps1sq, T decay, T thr, double rho, double eps2, double clip,
                                              const double* sums, int flags) {
    long long len = n * a * b;
    double rmsW = (double) (T) sqrt(sums[0]) / sqrt((double) len);
    double rmsU = (double) (T) sqrt(sums[1]) / sqrt((double) len);
    double alpha = famMax(eps2, rmsW) * rho;
    T step = (T) (alpha / famMax(1.0, rmsU / clip));
    for (long long e = firstIndex(); e < len; e += gridStride()) {
        T p = w[e];
        T d = famGrad(p, g[e], gs, l2, flags);
        T u = afU(d, afVar(row, col, rmean, v, e, a, b), eps1sq);
        if (flags & NDOPT_DECAY) p = p * decay;
        p = p - u * step;
        if (flags & NDOPT_PROX) p = soft(p, thr);
        w[e] = p;
    }
}

// ---- Muon. The matrix is A×B row-major; X is U (A ≤ B) or Uᵀ (A > B, flag NDOPT_FAM_TRANSPOSE), row-major.
#define NDOPT_FAM_TRANSPOSE 512
#define NDOPT_FAM_HI1 1024      // the first lerp's weight 1 − μ is >= 0.5 (torch.lerp's other form)
#define NDOPT_FAM_HI2 2048      // the second lerp's weight μ is >= 0.5

// buf = lerp(buf, d, w1) (w1 = 1 − μ); U = Nesterov ? lerp(d, buf, w2) (w2 = μ) : buf; X ← U (transposed if tall).
// om1 and om2 are 1 − w1 and 1 − w2, each rounded from double as the reference's lerp does.
template <typename T> __device__ void muMomentum(const T* w, const T* g, T* buf, T* x, long long a, long long b,
                                                 T gs, T l2, T w1, T om1, T w2, T om2, int flags) {
    for (long long e = firstIndex(); e < a * b; e += gridStride()) {
        T d = famGrad(w[e], g[e], gs, l2, flags);
        T bb = famLerp(buf[e], d, w1, om1, flags & NDOPT_FAM_HI1);
        buf[e] = bb;
        T u = (flags & NDOPT_NESTEROV) ? famLerp(d, bb, w2, om2, flags & NDOPT_FAM_HI2) : bb;
        long long i = e / b, j = e % b;
        x[(flags & NDOPT_FAM_TRANSPOSE) ? j * a + i : e] = u;
    }
}

// x = x / max(sqrt(sums[0]), eps): the Frobenius normalization.
template <typename T> __device__ void muNormalize(T* x, long long len, const double* sums, double eps) {
    double norm = (double) (T) sqrt(sums[0]);
    T by = (T) famMax(norm, eps);
    for (long long e = firstIndex(); e < len; e += gridStride()) x[e] = x[e] / by;
}

// t = c*t + b*s (t holds S·S): b·S + c·S·S.
template <typename T> __device__ void muCombine(T* t, const T* s, long long len, T b, T c) {
    for (long long e = firstIndex(); e < len; e += gridStride()) t[e] = t[e] * c + s[e] * b;
}

// y = y + a*x (y holds (b·S + c·S·S)·X).
template <typename T> __device__ void muAxpy(T* y, const T* x, long long len, T a) {
    for (long long e = firstIndex(); e < len; e += gridStride()) y[e] = y[e] + x[e] * a;
}

// w = w*decay − O*lr' (O = X, transposed back if tall), then the soft threshold.
template <typename T> __device__ void muApply(T* w, const T* x, long long a, long long b, T decay, T lr, T thr,
                                              int flags) {
    for (long long e = firstIndex(); e < a * b; e += gridStride()) {
        long long i = e / b, j = e % b;
        T o = x[(flags & NDOPT_FAM_TRANSPOSE) ? j * a + i : e];
        T p = w[e];
        if (flags & NDOPT_DECAY) p = p * decay;
        p = p - o * lr;
        if (flags & NDOPT_PROX) p = soft(p, thr);
        w[e] = p;
    }
}

#define NDOPT_FAMILY_KERNELS(S, T)                                                                                 \
    extern "C" __global__ void af_rows_##S(const T* w, const T* g, T* row, long long n, long long a, long long b, \
            T gs, T l2, T om, T omc, int hi, int flags) { afRows<T>(w, g, row, n, a, b, gs, l2, om, omc, hi, flags); } \
    extern "C" __global__ void af_cols_##S(const T* w, const T* g, T* col, long long n, long long a, long long b, \
            T gs, T l2, T om, T omc, int hi, int flags) { afCols<T>(w, g, col, n, a, b, gs, l2, om, omc, hi, flags); } \
    extern "C" __global__ void af_row_mean_##S(const T* row, long long n, long long a, double eps1, T* rmean) {     \
        afRowMean<T>(row, n, a, eps1, rmean);                                                                      \
    }                                                                                                              \
    extern "C" __global__ void af_sum_u_##S(const T* w, const T* g, const T* row, const T* col, const T* rmean,    \
            T* v, long long n, long long a, long long b, T gs, T l2, T om, T omc, int hi, T eps1sq, int flags,     \
            double* partial) {                                                                                     \
        afSumU<T>(w, g, row, col, rmean, v, n, a, b, gs, l2, om, omc, hi, eps1sq, flags, partial);                \
    }                                                                                                              \
    extern "C" __global__ void af_update_##S(T* w, const T* g, const T* row, const T* col, const T* rmean,        \
            const T* v, long long n, long long a, long long b, T gs, T l2, T eps1sq, T decay, T thr, double rho,  \
            double eps2, double clip, const double* sums, int flags) {                                            \
        afUpdate<T>(w, g, row, col, rmean, v, n, a, b, gs, l2, eps1sq, decay, thr, rho, eps2, clip, sums, flags); \
    }                                                                                                              \
    extern "C" __global__ void mu_momentum_##S(const T* w, const T* g, T* buf, T* x, long long a, long long b,    \
            T gs, T l2, T w1, T om1, T w2, T om2, int flags) {                                                    \
        muMomentum<T>(w, g, buf, x, a, b, gs, l2, w1, om1, w2, om2, flags);                                        \
    }                                                                                                              \
    extern "C" __global__ void mu_normalize_##S(T* x, long long len, const double* sums, double eps) {            \
        muNormalize<T>(x, len, sums, eps);                                                                         \
    }                                                                                                              \
    extern "C" __global__ void mu_combine_##S(T* t, const T* s, long long len, T b, T c) { muCombine<T>(t, s, len, b, c); } \
    extern "C" __global__ void mu_axpy_##S(T* y, const T* x, long long len, T a) { muAxpy<T>(y, x, len, a); }     \
    extern "C" __global__ void mu_apply_##S(T* w, const T* x, long long a, long long b, T decay, T lr, T thr,     \
            int flags) { muApply<T>(w, x, a, b, decay, lr, thr, flags); }

NDOPT_FAMILY_KERNELS(f32, float)
NDOPT_FAMILY_KERNELS(f64, double)
