// Mixed precision (io.ndopt.device.Precision): float32 master buffers, 16-bit copies for the products, and the
// loss scaling of float16 training (io.ndopt.train.LossScaler, PyTorch's GradScaler). The 16-bit formats are
// converted here bit by bit (no cuda_fp16.h / cuda_bf16.h), the same code on the GPU and in the stand-in driver.
#include "common.cuh"

// float -> bfloat16 bits, round to nearest even; NaN stays a (quiet) NaN, overflow rounds to infinity.
__device__ __forceinline__ unsigned short bf16Bits(float x) {
    unsigned f = __float_as_uint(x);
    if ((f & 0x7fffffffu) > 0x7f800000u) return (unsigned short) ((f >> 16) | 0x40u);
    return (unsigned short) ((f + 0x7fffu + ((f >> 16) & 1u)) >> 16);
}

// float -> IEEE binary16 bits, round to nearest even, with subnormals; |x| >= 65520 rounds to infinity.
__device__ __forceinline__ unsigned short f16Bits(float x) {
    unsigned f = __float_as_uint(x);
    unsigned sign = (f >> 16) & 0x8000u, a = f & 0x7fffffffu;
    if (a >= 0x7f800000u) return (unsigned short) (sign | (a > 0x7f800000u ? 0x7e00u : 0x7c00u));
    if (a >= 0x477ff000u) return (unsigned short) (sign | 0x7c00u);
    if (a < 0x38800000u) {                                   // below 2^-14: a subnormal half (or zero)
        if (a < 0x33000000u) return (unsigned short) sign;   // below 2^-25: rounds to zero (2^-25 itself: tie, even 0)
        unsigned e = a >> 23, m = (a & 0x7fffffu) | 0x800000u;
        unsigned shift = 126u - e;                           // 14..24: the value in units of 2^-24 is m >> shift
        unsigned q = m >> shift, rem = m & ((1u << shift) - 1u), half = 1u << (shift - 1u);
        if (rem > half || (rem == half && (q & 1u))) q++;
        return (unsigned short) (sign | q);
    }
    unsigned r = a - 0x38000000u;                            // rebias the exponent (127 -> 15)
    unsigned q = r >> 13, rem = r & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (q & 1u))) q++;   // a carry moves into the exponent, as it should
    return (unsigned short) (sign | q);
}

__device__ __forceinline__ bool finite(float x) { return (__float_as_uint(x) & 0x7f800000u) != 0x7f800000u; }

// y = x rounded to bfloat16 / float16 (the 16-bit operands of a mixed-precision product).
extern "C" __global__ void to_bf16(const float* x, unsigned short* y, long long len) {
    for (long long i = firstIndex(); i < len; i += gridStride()) y[i] = bf16Bits(x[i]);
}
extern "C" __global__ void to_f16(const float* x, unsigned short* y, long long len) {
    for (long long i = firstIndex(); i < len; i += gridStride()) y[i] = f16Bits(x[i]);
}

// x = x * factor[0]: the loss gradient times the loss scale (read on the device, so a captured step stays valid
// when the scale changes).
extern "C" __global__ void scale_f32(float* x, long long len, const float* factor) {
    float s = factor[0];
    for (long long i = firstIndex(); i < len; i += gridStride()) x[i] = x[i] * s;
}

// g = g * inv[0], and found[0] = 1 if any g was NaN or infinite before (PyTorch's
// _amp_foreach_non_finite_check_and_unscale_); found is zeroed before the first launch of a step.
extern "C" __global__ void unscale_check_f32(float* g, long long len, const float* inv, int* found) {
    float s = inv[0];
    for (long long i = firstIndex(); i < len; i += gridStride()) {
        float v = g[i];
        if (!finite(v)) found[0] = 1;
        g[i] = v * s;
    }
}
