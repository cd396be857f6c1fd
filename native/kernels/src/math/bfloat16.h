// bfloat16 storage for the compact state: the six derivative rows kept as the top 16 bits of
// a float. Plain integer arithmetic, host and device, so the CPU loops still vectorise and the
// CUDA step stores exactly the bits the CPU does.
#pragma once

#include "element_update.h"

#include <cstdint>
#include <cstring>

namespace mada::kernels {

// A bfloat16 as stored: sign, 8 exponent bits, 7 mantissa bits.
struct BFloat16 {
  uint16_t bits;
};
static_assert(sizeof(BFloat16) == 2, "bfloat16 rows are 2 bytes per element");

MADA_HOST_DEVICE uint32_t float_bits(float x) {
#if defined(__CUDA_ARCH__)
  return __float_as_uint(x);
#else
  uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
#endif
}

MADA_HOST_DEVICE float bits_float(uint32_t u) {
#if defined(__CUDA_ARCH__)
  return __uint_as_float(u);
#else
  float x;
  std::memcpy(&x, &u, sizeof x);
  return x;
#endif
}

// Round to nearest, ties to even, as PyTorch's and CUDA's conversions do, except at the top:
// a finite float above the largest bfloat16 saturates to it instead of becoming Inf, because
// nothing non-finite is ever stored. The clamp comes first, so the rounding add cannot carry
// into the exponent's all-ones pattern (0x7F7F0000 + 0x8000 still truncates to 0x7F7F).
MADA_HOST_DEVICE BFloat16 to_bfloat16(float x) {
  constexpr float kLargest = 3.38953139e38f;  // 0x7F7F0000
  const float clamped = x < -kLargest ? -kLargest : (x > kLargest ? kLargest : x);
  const uint32_t u = float_bits(clamped);
  return BFloat16{static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16)};
}

MADA_HOST_DEVICE float to_float(BFloat16 b) { return bits_float(static_cast<uint32_t>(b.bits) << 16); }

// Derivative storage: the math type itself, or bfloat16 under the compact state.
template <typename T, typename Stored>
struct DerivativeStore {
  static MADA_HOST_DEVICE T load(Stored x) { return x; }
  static MADA_HOST_DEVICE Stored store(T x) { return x; }
};
template <typename T>
struct DerivativeStore<T, BFloat16> {
  static MADA_HOST_DEVICE T load(BFloat16 x) { return static_cast<T>(to_float(x)); }
  static MADA_HOST_DEVICE BFloat16 store(T x) { return to_bfloat16(static_cast<float>(x)); }
};

}  // namespace mada::kernels
