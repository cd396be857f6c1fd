#include "hyper_step.h"

#include <algorithm>
#include <cmath>

namespace mada::kernels {

Coefficients hypergradient(const Reduction& r) {
  Coefficients h;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) h[k] = -r.scaled_dot[k];
  return h;
}

Coefficients project(Coefficients q, const StepOptions& o) {
  for (std::size_t k = 0; k < kCoefficientCount; ++k)
    q[k] = std::min(std::max(q[k], o.lower()[k]), o.upper()[k]);
  return q;
}

Coefficients hyper_step(const Coefficients& q, const Coefficients& h, const StepOptions& o) {
  Coefficients next = q;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    if (!o.learns(static_cast<Coefficient>(k))) continue;
    const double clipped = h[k] * std::min(1.0, o.hypergrad_clip() / (std::abs(h[k]) + 1e-6));
    next[k] -= o.hyper_lr()[k] * clipped;
  }
  return project(next, o);
}

}  // namespace mada::kernels
