// The host-side description of one optimizer step, shared by the CPU passes (and the CUDA
// launch planning): which tensors take part, where their buffers are, and their scalars.
#pragma once

#include <mada/element_update.h>
#include <mada/options.h>

#include <cstdint>
#include <vector>

namespace mada::detail {

// One parameter tensor in a step. All pointers address contiguous buffers of numel elements
// (d: 6 rows of numel) in the slot's storage type, float or double.
struct ParamSlot {
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
  bool fresh = false;  // the state is created by this update
  double lr = 0.0;     // alpha_t of the group
  double decay = 0.0;  // alpha_t * weight decay of the group

  bool has_grad() const { return g != nullptr; }
  bool has_state() const { return d != nullptr && !fresh; }
};

// What pass 1 finds: sum over groups of alpha_{t-1} * sum(graw * D_k), and sum(graw^2).
struct Reduction {
  double scaled_dot[6] = {0, 0, 0, 0, 0, 0};
  double sq_norm = 0.0;
};

// The step's scalars before the per-group lr is filled in (kept in double on the host).
StepScalars<double> step_scalars(const Coefficients& q, const MadaOptions& o, int64_t t);

}  // namespace mada::detail
