#include "hyper_step.h"

#include "hyper_rule.h"

namespace mada::kernels {

Coefficients hypergradient(const Reduction& r) {
  Coefficients h;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) h[k] = -r.scaled_dot[k];
  return h;
}

namespace {

// Coefficients as the plain arrays hyper_rule.h's host-and-device functions take.
struct Array {
  double v[kCoefficientCount];
  explicit Array(const Coefficients& c) {
    for (std::size_t k = 0; k < kCoefficientCount; ++k) v[k] = c[k];
  }
  Coefficients coefficients() const { return {v[0], v[1], v[2], v[3], v[4], v[5]}; }
};

}  // namespace

Coefficients project(Coefficients q, const StepOptions& o) {
  Array a(q);
  project_into(hyper_rule(o), a.v);
  return a.coefficients();
}

Coefficients hyper_step(const Coefficients& q, const Coefficients& h, const StepOptions& o) {
  Array next(q);
  const Array grad(h);
  hyper_update(hyper_rule(o), grad.v, next.v);
  return next.coefficients();
}

}  // namespace mada::kernels
