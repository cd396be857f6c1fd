#include "cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include <cstdint>

namespace mada::kernels {

namespace {

CpuFeatures detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
  const bool osxsave = (ecx >> 27) & 1u, avx = (ecx >> 28) & 1u;
  if (!osxsave || !avx) return f;
  uint32_t xcr0_lo = 0, xcr0_hi = 0;
  __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
  const bool ymm_saved = (xcr0_lo & 0x6u) == 0x6u;       // SSE and AVX state
  const bool zmm_saved = (xcr0_lo & 0xE6u) == 0xE6u;     // and opmask, ZMM_Hi256, Hi16_ZMM
  if (__get_cpuid_max(0, nullptr) < 7) return f;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  f.avx2 = ymm_saved && ((ebx >> 5) & 1u);
  const bool f512 = (ebx >> 16) & 1u, dq = (ebx >> 17) & 1u, bw = (ebx >> 30) & 1u, vl = (ebx >> 31) & 1u;
  f.avx512 = f.avx2 && zmm_saved && f512 && dq && bw && vl;
  const unsigned subleaves = eax;
  if (f.avx512 && subleaves >= 1) {
    __cpuid_count(7, 1, eax, ebx, ecx, edx);
    f.avx512_bf16 = (eax >> 5) & 1u;
  }
#endif
  return f;
}

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

}  // namespace mada::kernels
