// ndopt's fused optimizer step, one kernel per rule family, written once for float and double.
// Same arithmetic, in the same order, as io.ndopt.optim.ReferenceUpdate and the CPU vector kernels:
//   d = gradScale*g (+ l2*w);  w = decayFactor*w;  w = rule(w, d, state);  w = soft(w, threshold)
// Scalars arrive resolved on the host (io.ndopt.device.KernelScalars), already rounded to T.
#include "common.cuh"

template <typename T> struct SgdScalars { T gs, decay, l2, thr, negLr, mu, omd; int flags; };
template <typename T> struct AdamScalars { T gs, decay, l2, thr, b1, b2, omb1, omb2, eps, bc2Sqrt, negStep; int flags; };
template <typename T> struct SfScalars { T gs, l2, b2, omb2, bc2, eps, wd, c, omc, hi, yStep, lr; int flags; };

// PyTorch SGD: buf = d on the first step, else mu*buf + (1 - dampening)*d; d = d + mu*buf (Nesterov) or buf.
template <typename T> __device__ __forceinline__ void sgdOne(const SgdScalars<T>& s, T& w, T g, T& buf) {
    T p = w;
    T d = g * s.gs;
    if (s.flags & NDOPT_L2) d = d + p * s.l2;
    if (s.flags & NDOPT_DECAY) p = p * s.decay;
    if (s.flags & NDOPT_MOMENTUM) {
        T b = (s.flags & NDOPT_FIRST) ? d : buf * s.mu + d * s.omd;
        buf = b;
        d = (s.flags & NDOPT_NESTEROV) ? d + b * s.mu : b;
    }
    p = p + d * s.negLr;
    if (s.flags & NDOPT_PROX) p = soft(p, s.thr);
    w = p;
}

// PyTorch Adam: m = b1*m + (1-b1)*d; v = b2*v + (1-b2)*d*d; w = w + (m / (sqrt(v)/sqrt(1-b2^t) + eps)) * (-lr/(1-b1^t)).
template <typename T> __device__ __forceinline__ void adamOne(const AdamScalars<T>& s, T& w, T g, T& m, T& v, T& vmax) {
    T p = w;
    T d = g * s.gs;
    if (s.flags & NDOPT_L2) d = d + p * s.l2;
    if (s.flags & NDOPT_DECAY) p = p * s.decay;
    T mm = m * s.b1 + d * s.omb1;
    T vv = v * s.b2 + d * d * s.omb2;
    m = mm;
    v = vv;
    if (s.flags & NDOPT_AMSGRAD) {
        vv = maxOf(vmax, vv);                         // max over the raw v
        vmax = vv;
    }
    T denom = root(vv) / s.bc2Sqrt + s.eps;
    p = p + mm / denom * s.negStep;
    if (s.flags & NDOPT_PROX) p = soft(p, s.thr);
    w = p;
}

// Schedule-free AdamW (facebookresearch/schedule_free AdamWScheduleFree) on the train point y = w:
// v = b2*v + (1-b2)*d*d; u = d/(sqrt(v/bc2) + eps) + wd*y; y = lerp(y, z, c) as torch.lerp; y += yStep*u; z -= lr*u.
template <typename T> __device__ __forceinline__ void sfOne(const SfScalars<T>& s, T& w, T g, T& z, T& v) {
    T y = w;
    T d = g * s.gs;
    if (s.flags & NDOPT_L2) d = d + y * s.l2;
    T zz = (s.flags & NDOPT_FIRST) ? y : z;               // z starts at y0
    T vv = v * s.b2 + d * d * s.omb2;
    v = vv;
    T u = d / (root(vv / s.bc2) + s.eps);
    if (s.flags & NDOPT_DECAY) u = u + y * s.wd;          // decay at y, before the lerp
    T diff = zz - y;
    y = s.hi != T(0) ? zz - diff * s.omc : y + diff * s.c;
    y = y + u * s.yStep;
    z = zz - u * s.lr;
    w = y;
}

// Grid-stride loops: 16-byte packs when every array is 16-byte aligned (segment offsets may not be), then the tail.
template <typename T> __device__ void sgdKernel(T* __restrict__ w, const T* __restrict__ g, T* __restrict__ buf,
                                                long long n, SgdScalars<T> s) {
    const int L = Pack<T>::N;
    const bool mom = (s.flags & NDOPT_MOMENTUM) != 0;
    long long done = 0;
    if (aligned16(w) && aligned16(g) && (!mom || aligned16(buf))) {
        long long packs = n / L;
        for (long long k = firstIndex(); k < packs; k += gridStride()) {
            Pack<T> pw = load(w, k), pg = load(g, k), pb;
            if (mom) pb = load(buf, k);
#pragma unroll
            for (int j = 0; j < L; j++) sgdOne(s, pw.v[j], pg.v[j], pb.v[j]);
            store(w, k, pw);
            if (mom) store(buf, k, pb);
        }
        done = packs * L;
    }
    for (long long i = done + firstIndex(); i < n; i += gridStride()) {
        T b = mom ? buf[i] : T(0);
        sgdOne(s, w[i], g[i], b);
        if (mom) buf[i] = b;
    }
}

template <typename T> __device__ void adamKernel(T* __restrict__ w, const T* __restrict__ g, T* __restrict__ m,
                                                 T* __restrict__ v, T* __restrict__ vmax, long long n, AdamScalars<T> s) {
    const int L = Pack<T>::N;
    const bool ams = (s.flags & NDOPT_AMSGRAD) != 0;
    long long done = 0;
    if (aligned16(w) && aligned16(g) && aligned16(m) && aligned16(v) && (!ams || aligned16(vmax))) {
        long long packs = n / L;
        for (long long k = firstIndex(); k < packs; k += gridStride()) {
            Pack<T> pw = load(w, k), pg = load(g, k), pm = load(m, k), pv = load(v, k), px;
            if (ams) px = load(vmax, k);
#pragma unroll
            for (int j = 0; j < L; j++) adamOne(s, pw.v[j], pg.v[j], pm.v[j], pv.v[j], px.v[j]);
            store(w, k, pw);
            store(m, k, pm);
            store(v, k, pv);
            if (ams) store(vmax, k, px);
        }
        done = packs * L;
    }
    for (long long i = done + firstIndex(); i < n; i += gridStride()) {
        T x = ams ? vmax[i] : T(0);
        adamOne(s, w[i], g[i], m[i], v[i], x);
        if (ams) vmax[i] = x;
    }
}

template <typename T> __device__ void sfKernel(T* __restrict__ w, const T* __restrict__ g, T* __restrict__ z,
                                               T* __restrict__ v, long long n, SfScalars<T> s) {
    const int L = Pack<T>::N;
    long long done = 0;
    if (aligned16(w) && aligned16(g) && aligned16(z) && aligned16(v)) {
        long long packs = n / L;
        for (long long k = firstIndex(); k < packs; k += gridStride()) {
            Pack<T> pw = load(w, k), pg = load(g, k), pz = load(z, k), pv = load(v, k);
#pragma unroll
            for (int j = 0; j < L; j++) sfOne(s, pw.v[j], pg.v[j], pz.v[j], pv.v[j]);
            store(w, k, pw);
            store(z, k, pz);
            store(v, k, pv);
        }
        done = packs * L;
    }
    for (long long i = done + firstIndex(); i < n; i += gridStride()) sfOne(s, w[i], g[i], z[i], v[i]);
}

// The exported entry points: plain C names, scalars as separate arguments (io.ndopt.internal.cuda.LaunchArgs order).
#define NDOPT_OPTIM_KERNELS(T, S)                                                                          \
    extern "C" __global__ void sgd_##S(T* w, const T* g, T* buf, long long n, T gs, T decay, T l2, T thr,   \
                                       T negLr, T mu, T omd, int flags) {                                   \
        SgdScalars<T> s = {gs, decay, l2, thr, negLr, mu, omd, flags};                                      \
        sgdKernel<T>(w, g, buf, n, s);                                                                      \
    }                                                                                                       \
    extern "C" __global__ void adam_##S(T* w, const T* g, T* m, T* v, T* vmax, long long n, T gs, T decay,  \
                                        T l2, T thr, T b1, T b2, T omb1, T omb2, T eps, T bc2Sqrt,           \
                                        T negStep, int flags) {                                             \
        AdamScalars<T> s = {gs, decay, l2, thr, b1, b2, omb1, omb2, eps, bc2Sqrt, negStep, flags};          \
        adamKernel<T>(w, g, m, v, vmax, n, s);                                                              \
    }                                                                                                       \
    extern "C" __global__ void sf_adamw_##S(T* w, const T* g, T* z, T* v, long long n, T gs, T l2, T b2,     \
                                            T omb2, T bc2, T eps, T wd, T c, T omc, T hi, T yStep, T lr,     \
                                            int flags) {                                                    \
        SfScalars<T> s = {gs, l2, b2, omb2, bc2, eps, wd, c, omc, hi, yStep, lr, flags};                    \
        sfKernel<T>(w, g, z, v, n, s);                                                                      \
    }

NDOPT_OPTIM_KERNELS(float, f32)
NDOPT_OPTIM_KERNELS(double, f64)
