// The fused CPU step: pass 1 (hypergradient sums and gradient norm, all tensors at once) and
// pass 2 (one read and one write of every state element). Both run over the same fixed
// blocks, so results do not depend on the thread count.
#pragma once

#include "step_plan.h"

#include <vector>

namespace mada::detail {

class StepWorkspace {
 public:
  // Filled by the optimizer each step; capacity is kept, so steady state allocates nothing.
  std::vector<ParamSlot> slots;

  // Pass 1 over slots with a gradient. prev_lr[group] scales each group's partial sums.
  Reduction reduce(const std::vector<double>& prev_lr);

  // Pass 2: updates every slot with a gradient, zeroes d of slots without one.
  void update(const StepScalars<double>& scalars, double grad_scale, Mode mode);

  // Elements per block: fixed, so the reduction order is too.
  static constexpr int64_t kBlock = 1 << 14;

 private:
  struct Block {
    int32_t slot;
    int64_t begin, end;
  };
  void plan_blocks();

  std::vector<Block> blocks_;
  std::vector<double> partials_;  // 7 per block: six dots, then the squared norm
};

}  // namespace mada::detail
