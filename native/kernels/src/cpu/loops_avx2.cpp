// The AVX2 build of the CPU step's loops (this file is compiled with -mavx2).
#include "cpu_features.h"
#include "loops.h"

namespace mada::kernels {

const CpuLoops* avx2_loops() {
#if defined(__AVX2__)
  static const CpuLoops table{"avx2", reduce_block, update_slot_block, store_bfloat16};
  return cpu_features().avx2 ? &table : nullptr;
#else
  return nullptr;
#endif
}

}  // namespace mada::kernels
