// The baseline (x86-64: SSE2) build of the CPU step's loops.
#include "cpu_kernels.h"

namespace mada::detail {

const CpuKernelTable& baseline_kernels() {
  static const CpuKernelTable table{"baseline", reduce_block, update_slot_block};
  return table;
}

}  // namespace mada::detail
