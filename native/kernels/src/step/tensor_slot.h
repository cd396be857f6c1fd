// One parameter tensor of a step, on borrowed memory: where its buffers are and its group's
// scalars. The CPU passes (and the CUDA launch planning) work on a list of these.
#pragma once

#include <cstdint>

namespace mada::kernels {

// All pointers address contiguous buffers of numel elements (d: 6 rows of numel) in the
// slot's storage type, float or double, except d under the compact state: bfloat16. The
// memory belongs to the caller; a step only reads and writes it.
struct TensorSlot {
  void* p = nullptr;
  const void* g = nullptr;  // raw (unclipped) gradient; null when the parameter has none
  void* m = nullptr;
  void* v = nullptr;
  void* vbar = nullptr;
  void* n = nullptr;
  void* mL = nullptr;
  void* gprev = nullptr;  // paper mode only
  void* d = nullptr;
  int64_t numel = 0;
  int group = 0;
  bool is_double = false;
  bool compact = false;  // d holds bfloat16 (math/bfloat16.h), not the storage type
  bool fresh = false;  // the state is created by this update
  double lr = 0.0;     // alpha_t of the group
  double decay = 0.0;  // alpha_t * weight decay of the group

  bool has_grad() const { return g != nullptr; }
  bool has_state() const { return d != nullptr && !fresh; }
};

}  // namespace mada::kernels
