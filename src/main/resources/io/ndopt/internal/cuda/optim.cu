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

// ---- The element-wise rules of torch.optim (PyTorch 2.x) and Lion: one functor each over (w, g, a, b, c), the same
// arithmetic in the same order as io.ndopt.optim.ReferenceRules and the CPU vector kernels. A NaN propagates as in
// PyTorch: sign(NaN) = NaN, max(x, NaN) = NaN.
template <typename T> __device__ __forceinline__ T sgn(T x) { return x > T(0) ? T(1) : (x < T(0) ? T(-1) : (x != x ? x : T(0))); }
template <typename T> __device__ __forceinline__ T maxNaN(T a, T b) { return (a != a || b != b) ? a + b : (a >= b ? a : b); }

// d = gs*g (+ l2*w), w = decay*w: the common head of every rule; then the rule; then the soft threshold.
#define NDOPT_HEAD T p = w; T d = g * gs; if (flags & NDOPT_L2) d = d + p * l2; if (flags & NDOPT_DECAY) p = p * decay;
#define NDOPT_TAIL if (flags & NDOPT_PROX) p = soft(p, thr); w = p;

// RMSprop: a = square_avg, b = momentum_buffer, c = grad_avg.
template <typename T> struct RmsPropRule {
    T gs, decay, l2, thr, alpha, oma, eps, negLr, mu; int flags;
    __device__ __forceinline__ void operator()(T& w, T g, T& a, T& b, T& c) const {
        NDOPT_HEAD
        T s = a * alpha + d * d * oma;
        a = s;
        T avg;
        if (flags & NDOPT_CENTERED) {
            T ga = c * alpha + d * oma;
            c = ga;
            avg = root(s - ga * ga) + eps;
        } else {
            avg = root(s) + eps;
        }
        if (flags & NDOPT_MOMENTUM) {
            T buf = b * mu + d / avg;
            b = buf;
            p = p + buf * negLr;
        } else {
            p = p + d / avg * negLr;
        }
        NDOPT_TAIL
    }
};

// Adagrad: a = sum (initial_accumulator_value at the first step).
template <typename T> struct AdagradRule {
    T gs, decay, l2, thr, init, eps, negClr; int flags;
    __device__ __forceinline__ void operator()(T& w, T g, T& a, T&, T&) const {
        NDOPT_HEAD
        T s = ((flags & NDOPT_FIRST) ? init : a) + d * d;
        a = s;
        p = p + d / (root(s) + eps) * negClr;
        NDOPT_TAIL
    }
};

// Adadelta: a = square_avg, b = acc_delta.
template <typename T> struct AdadeltaRule {
    T gs, decay, l2, thr, rho, omr, eps, negLr; int flags;
    __device__ __forceinline__ void operator()(T& w, T g, T& a, T& b, T&) const {
        NDOPT_HEAD
        T s = a * rho + d * d * omr;
        a = s;
        T delta = root(b + eps) / root(s + eps) * d;
        b = b * rho + delta * delta * omr;
        p = p + delta * negLr;
        NDOPT_TAIL
    }
};

// Adamax: a = exp_avg, b = exp_inf.
template <typename T> struct AdamaxRule {
    T gs, decay, l2, thr, b1, omb1, b2, eps, negStep; int flags;
    __device__ __forceinline__ void operator()(T& w, T g, T& a, T& b, T&) const {
        NDOPT_HEAD
        T m = a * b1 + d * omb1;
        a = m;
        T u = maxNaN(b * b2, (d < T(0) ? -d : d) + eps);
        b = u;
        p = p + m / u * negStep;
        NDOPT_TAIL
    }
};

// NAdam (PyTorch >= 2.0): a = exp_avg, b = exp_avg_sq; cg, cm carry mu_product.
template <typename T> struct NAdamRule {
    T gs, decay, l2, thr, b1, omb1, b2, omb2, bc2, eps, cg, cm; int flags;
    __device__ __forceinline__ void operator()(T& w, T g, T& a, T& b, T&) const {
        NDOPT_HEAD
        T m = a * b1 + d * omb1;
        T v = b * b2 + d * d * omb2;
        a = m;
        b = v;
        T den = root(v / bc2) + eps;
        p = p + d / den * cg;
        p = p + m / den * cm;
        NDOPT_TAIL
    }
};

// RAdam: a = exp_avg, b = exp_avg_sq.
template <typename T> struct RAdamRule {
    T gs, decay, l2, thr, b1, omb1, b2, omb2, eps, bc1, lr, bc2Sqrt, rect; int flags;
    __device__ __forceinline__ void operator()(T& w, T g, T& a, T& b, T&) const {
        NDOPT_HEAD
        T m = a * b1 + d * omb1;
        T v = b * b2 + d * d * omb2;
        a = m;
        b = v;
        T step = m / bc1 * lr;
        if (flags & NDOPT_RECTIFY) step = step * (bc2Sqrt / (root(v) + eps)) * rect;
        p = p - step;
        NDOPT_TAIL
    }
};

// Rprop: a = prev, b = step_size (lr at the first step).
template <typename T> struct RpropRule {
    T gs, decay, l2, thr, etaMinus, etaPlus, stepMin, stepMax, lr; int flags;
    __device__ __forceinline__ void operator()(T& w, T g, T& a, T& b, T&) const {
        NDOPT_HEAD
        bool first = (flags & NDOPT_FIRST) != 0;
        T prod = d * (first ? T(0) : a);
        T f = prod > T(0) ? etaPlus : (prod < T(0) ? etaMinus : (prod != prod ? prod : T(1)));
        T step = (first ? lr : b) * f;
        step = step < stepMin ? stepMin : (step > stepMax ? stepMax : step);
        b = step;
        T gz = prod < T(0) ? T(0) : d;
        a = gz;
        p = p - sgn(gz) * step;
        NDOPT_TAIL
    }
};

// Lion (google/automl lion_pytorch.py): a = exp_avg.
template <typename T> struct LionRule {
    T gs, decay, l2, thr, b1, omb1, b2, omb2, negLr; int flags;
    __device__ __forceinline__ void operator()(T& w, T g, T& a, T&, T&) const {
        NDOPT_HEAD
        T m = a;
        T c = m * b1 + d * omb1;
        p = p + sgn(c) * negLr;
        a = m * b2 + d * omb2;
        NDOPT_TAIL
    }
};

// One grid-stride loop for all of them: packs when every present array is 16-byte aligned, then the tail.
// An absent state array is a null pointer (its values are never read into the result).
template <typename T, typename R> __device__ void ruleKernel(T* __restrict__ w, const T* __restrict__ g,
        T* __restrict__ a, T* __restrict__ b, T* __restrict__ c, long long n, const R& r) {
    const int L = Pack<T>::N;
    const bool ha = a != nullptr, hb = b != nullptr, hc = c != nullptr;
    long long done = 0;
    if (aligned16(w) && aligned16(g) && (!ha || aligned16(a)) && (!hb || aligned16(b)) && (!hc || aligned16(c))) {
        long long packs = n / L;
        for (long long k = firstIndex(); k < packs; k += gridStride()) {
            Pack<T> pw = load(w, k), pg = load(g, k), pa = {}, pb = {}, pc = {};
            if (ha) pa = load(a, k);
            if (hb) pb = load(b, k);
            if (hc) pc = load(c, k);
#pragma unroll
            for (int j = 0; j < L; j++) r(pw.v[j], pg.v[j], pa.v[j], pb.v[j], pc.v[j]);
            store(w, k, pw);
            if (ha) store(a, k, pa);
            if (hb) store(b, k, pb);
            if (hc) store(c, k, pc);
        }
        done = packs * L;
    }
    for (long long i = done + firstIndex(); i < n; i += gridStride()) {
        T x = ha ? a[i] : T(0), y = hb ? b[i] : T(0), z = hc ? c[i] : T(0);
        r(w[i], g[i], x, y, z);
        if (ha) a[i] = x;
        if (hb) b[i] = y;
        if (hc) c[i] = z;
    }
}

#define NDOPT_RULE_ENTRY(NAME, RULE, T, S, ...)                                                             \
    extern "C" __global__ void NAME##_##S(T* w, const T* g, T* a, T* b, T* c, long long n, T gs, T decay,   \
                                          T l2, T thr, __VA_ARGS__, int flags)

#define NDOPT_RULE_KERNELS(T, S)                                                                           \
    NDOPT_RULE_ENTRY(rmsprop, RmsPropRule, T, S, T alpha, T oma, T eps, T negLr, T mu) {                    \
        ruleKernel<T>(w, g, a, b, c, n, RmsPropRule<T>{gs, decay, l2, thr, alpha, oma, eps, negLr, mu, flags}); \
    }                                                                                                       \
    NDOPT_RULE_ENTRY(adagrad, AdagradRule, T, S, T init, T eps, T negClr) {                                 \
        ruleKernel<T>(w, g, a, b, c, n, AdagradRule<T>{gs, decay, l2, thr, init, eps, negClr, flags});      \
    }                                                                                                       \
    NDOPT_RULE_ENTRY(adadelta, AdadeltaRule, T, S, T rho, T omr, T eps, T negLr) {                          \
        ruleKernel<T>(w, g, a, b, c, n, AdadeltaRule<T>{gs, decay, l2, thr, rho, omr, eps, negLr, flags});  \
    }                                                                                                       \
    NDOPT_RULE_ENTRY(adamax, AdamaxRule, T, S, T b1, T omb1, T b2, T eps, T negStep) {                      \
        ruleKernel<T>(w, g, a, b, c, n, AdamaxRule<T>{gs, decay, l2, thr, b1, omb1, b2, eps, negStep, flags}); \
    }                                                                                                       \
    NDOPT_RULE_ENTRY(nadam, NAdamRule, T, S, T b1, T omb1, T b2, T omb2, T bc2, T eps, T cg, T cm) {        \
        ruleKernel<T>(w, g, a, b, c, n,                                                                     \
                      NAdamRule<T>{gs, decay, l2, thr, b1, omb1, b2, omb2, bc2, eps, cg, cm, flags});       \
    }                                                                                                       \
    NDOPT_RULE_ENTRY(radam, RAdamRule, T, S, T b1, T omb1, T b2, T omb2, T eps, T bc1, T lr, T bc2Sqrt,     \
                     T rect) {                                                                              \
        ruleKernel<T>(w, g, a, b, c, n,                                                                     \
                      RAdamRule<T>{gs, decay, l2, thr, b1, omb1, b2, omb2, eps, bc1, lr, bc2Sqrt, rect, flags}); \
    }                                                                                                       \
    NDOPT_RULE_ENTRY(rprop, RpropRule, T, S, T etaMinus, T etaPlus, T stepMin, T stepMax, T lr) {           \
        ruleKernel<T>(w, g, a, b, c, n,                                                                     \
                      RpropRule<T>{gs, decay, l2, thr, etaMinus, etaPlus, stepMin, stepMax, lr, flags});    \
    }                                                                                                       \
    NDOPT_RULE_ENTRY(lion, LionRule, T, S, T b1, T omb1, T b2, T omb2, T negLr) {                           \
        ruleKernel<T>(w, g, a, b, c, n, LionRule<T>{gs, decay, l2, thr, b1, omb1, b2, omb2, negLr, flags}); \
    }

NDOPT_RULE_KERNELS(float, f32)
NDOPT_RULE_KERNELS(double, f64)

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
