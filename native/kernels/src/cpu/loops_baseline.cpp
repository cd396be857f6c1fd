// The baseline (x86-64: SSE2) build of the CPU step's loops.
#include "loops.h"

namespace mada::kernels {

const CpuLoops& baseline_loops() {
  static const CpuLoops table{"baseline", reduce_block, update_slot_block, store_bfloat16};
  return table;
}

}  // namespace mada::kernels
