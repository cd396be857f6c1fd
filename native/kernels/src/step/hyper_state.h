// The optimizer-wide state of MADA that is not per element: coefficients, last hypergradient,
// counts, and the learning rate each group used at the last update.
#pragma once

#include <mada/coefficients.h>

#include <cstdint>
#include <vector>

namespace mada::kernels {

struct HyperState {
  Coefficients q;                // the coefficients of the last update (before it: projected q0)
  Coefficients h;                // the last hypergradient, before clipping
  int64_t t = 0;                 // updates done
  int64_t skipped = 0;           // steps dropped by the skip policy
  double grad_norm = 0.0;        // global L2 norm of the last update's raw gradient
  std::vector<double> prev_lr;   // alpha_{t-1} of each group, for the next hypergradient
};

}  // namespace mada::kernels
