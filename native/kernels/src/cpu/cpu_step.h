// The fused CPU step on borrowed memory: pass 1 (hypergradient sums and gradient norm, all
// tensors at once), the hyper step, and pass 2 (one read and one write of every state
// element). Both passes run over the same fixed blocks, so results do not depend on the
// thread count.
#pragma once

#include "../math/element_update.h"
#include "../math/hyper_step.h"
#include "../step/hyper_state.h"
#include "../step/tensor_slot.h"
#include "thread_pool.h"

#include <mada/step_options.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mada::kernels {

class CpuStep {
 public:
  // Filled by the caller before each step; capacity is kept, so steady state allocates nothing.
  std::vector<TensorSlot> slots;
  std::vector<double> group_lr;  // alpha_t of each group, indexed by TensorSlot::group
  // Set when these slots are one rank's slice of a model sharded across processes (ZeRO 1):
  // turns this rank's partial sums into the sums over all ranks, before anything uses them.
  std::function<void(Reduction&)> across_ranks;

  enum class Start {
    NoGradient,  // no slot has a gradient: not an update, nothing changed
    Skip,        // a non-finite gradient under the skip policy: counted, nothing else changed
    Update,      // bind the state of fresh slots, then call finish()
  };

  // The spec's step 1: pass 1 over all slots and the finiteness check. Throws
  // mada::Error(InvalidArgument) for a slot's lr or decay out of range (whatever the policy),
  // mada::Error(NonFinite) for a gradient out of range under the error policy; changes nothing
  // but state.skipped.
  Start begin(HyperState& state, const StepOptions& o, const Parallel& parallel);

  // Steps 2-6: the hyper step (from the second update on), then pass 2 with the clipped
  // gradient. Every slot must now have its state buffers.
  void finish(HyperState& state, const StepOptions& o, const Parallel& parallel);

  // Elements per block: fixed, so the reduction order is too.
  static constexpr int64_t kBlock = 1 << 14;

 private:
  struct Block {
    int32_t slot;
    int64_t begin, end;
  };
  std::string out_of_range() const;
  void plan_blocks();
  Reduction reduce(const std::vector<double>& prev_lr, const Parallel& parallel);
  void update(const StepScalars<double>& scalars, double grad_scale, Mode mode, const Parallel& parallel);

  std::vector<Block> blocks_;
  std::vector<double> partials_;  // kPartialCount per block
  Reduction reduction_;
};

}  // namespace mada::kernels
