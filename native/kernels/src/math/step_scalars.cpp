#include "step_scalars.h"

#include "hyper_rule.h"

namespace mada::kernels {

StepScalars<double> step_scalars(const Coefficients& q, const StepOptions& o, int64_t t) {
  const double values[kCoefficientCount] = {q.beta1, q.beta2, q.beta3, q.rho, q.c, q.gamma};
  return scalars_of(hyper_rule(o), values, t);
}

}  // namespace mada::kernels
