// What this processor and its OS let the CPU step use, read once: an instruction set counts
// only where cpuid reports it and the OS saves its registers (xgetbv), since a kernel that
// touched registers the OS does not save would corrupt them across a context switch.
#pragma once

namespace mada::kernels {

struct CpuFeatures {
  bool avx2 = false;         // AVX2 and the OS saves ymm
  bool avx512 = false;       // AVX-512 F, BW, DQ, VL and the OS saves zmm and the mask registers
  bool avx512_bf16 = false;  // AVX512_BF16 on top (VCVTNEPS2BF16)
};

const CpuFeatures& cpu_features();

}  // namespace mada::kernels
