// The coefficients' own update (the spec's steps 2-4): hypergradient from pass 1's sums,
// per-coefficient clip, SGD step, projection into the bounds.
#pragma once

#include <mada/step_options.h>

namespace mada::kernels {

// Pass 1 writes, per block of elements, the six dots sum(graw * D_k), then sum(graw^2), then
// max|graw| (for the range check before pass 2).
inline constexpr int kNormPartial = static_cast<int>(kCoefficientCount);
inline constexpr int kMaxAbsPartial = kNormPartial + 1;
inline constexpr int kPartialCount = kMaxAbsPartial + 1;

// What pass 1 finds: sum over groups of alpha_{t-1} * sum(graw * D_k), and sum(graw^2).
struct Reduction {
  double scaled_dot[kCoefficientCount] = {0, 0, 0, 0, 0, 0};
  double sq_norm = 0.0;
  // The gradient element largest against its tensor's gradient_limit: max|g| / limit, and where.
  double worst_ratio = 0.0;
  double worst_grad = 0.0;
  int worst_slot = -1;  // -1: none, or (summed across ranks) on another rank
};

// h_k = -sum_groups alpha_{t-1} sum(g D_k).
Coefficients hypergradient(const Reduction& r);

// q clamped into [lower, upper], coefficient by coefficient.
Coefficients project(Coefficients q, const StepOptions& o);

// One hyper step from q with hypergradient h: clip, SGD on the learning coefficients, project.
Coefficients hyper_step(const Coefficients& q, const Coefficients& h, const StepOptions& o);

}  // namespace mada::kernels
