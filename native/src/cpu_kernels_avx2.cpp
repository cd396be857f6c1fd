// The AVX2 build of the CPU step's loops (this file is compiled with -mavx2).
#include "cpu_kernels.h"

namespace mada::detail {

const CpuKernelTable* avx2_kernels() {
#if defined(__AVX2__)
  static const CpuKernelTable table{"avx2", reduce_block, update_slot_block};
  return __builtin_cpu_supports("avx2") ? &table : nullptr;
#else
  return nullptr;
#endif
}

}  // namespace mada::detail
