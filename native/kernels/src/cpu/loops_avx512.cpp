// The AVX-512 build of the CPU step's loops (this file is compiled with -mavx512f -mavx512bw
// -mavx512dq -mavx512vl -mavx512bf16). Chosen at run time only where cpuid reports those sets
// and the OS saves the zmm and mask registers (xgetbv: cpu_features.cpp).
//
// The compact state's bfloat16 rows are written with VCVTNEPS2BF16 where the processor has
// AVX512_BF16. It rounds to nearest even as to_bfloat16 (math/bfloat16.h) does, but flushes
// denormal inputs to zero and rounds a float above bfloat16's largest to Inf where to_bfloat16
// saturates; lanes holding such inputs (or NaN) take to_bfloat16 instead, so the bits are the
// baseline's for every input.
#include "../math/bfloat16.h"
#include "cpu_features.h"

#include <immintrin.h>

#include <cstdint>

#if defined(__AVX512BF16__)
#define MADA_LOOPS_STORE_BFLOAT16 1
namespace mada::kernels {
namespace {

void store_bfloat16_portable(const float* in, BFloat16* out, int64_t len);  // loops.h

bool native_bfloat16 = false;  // set once by avx512_loops(), before any step uses the table

void store_bfloat16(const float* in, BFloat16* out, int64_t len) {
  if (!native_bfloat16) return store_bfloat16_portable(in, out, len);
  int64_t i = 0;
  for (; i + 16 <= len; i += 16) {
    const __m512 x = _mm512_loadu_ps(in + i);
    const __m512i magnitude = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(0x7FFFFFFF));
    // Lanes the instruction would not round as to_bfloat16 does: denormals (flushed to zero),
    // and above the largest bfloat16 (saturated by to_bfloat16; Inf and NaN are above it too).
    const __mmask16 denormal = _mm512_cmplt_epi32_mask(magnitude, _mm512_set1_epi32(0x00800000)) &
                               _mm512_cmpneq_epi32_mask(magnitude, _mm512_setzero_si512());
    const __mmask16 above = _mm512_cmpgt_epi32_mask(magnitude, _mm512_set1_epi32(0x7F7F0000));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(x)));
    if (const unsigned special = denormal | above) {
      for (int l = 0; l < 16; ++l)
        if (special >> l & 1u) out[i + l] = to_bfloat16(in[i + l]);
    }
  }
  store_bfloat16_portable(in + i, out + i, len - i);
}

}  // namespace
}  // namespace mada::kernels
#endif

#include "loops.h"

namespace mada::kernels {

const CpuLoops* avx512_loops() {
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__) && defined(__AVX512VL__)
  static const CpuLoops* table = []() -> const CpuLoops* {
    const CpuFeatures& cpu = cpu_features();
    if (!cpu.avx512) return nullptr;
#if defined(__AVX512BF16__)
    native_bfloat16 = cpu.avx512_bf16;
#endif
    static const CpuLoops loops{"avx512", reduce_block, update_slot_block, store_bfloat16};
    return &loops;
  }();
  return table;
#else
  return nullptr;
#endif
}

}  // namespace mada::kernels
