#include "step_scalars.h"

#include <cmath>

namespace mada::kernels {

StepScalars<double> step_scalars(const Coefficients& q, const StepOptions& o, int64_t t) {
  const double td = static_cast<double>(t);
  const double bias1 = 1.0 - std::pow(q.beta1, td), bias2 = 1.0 - std::pow(q.beta2, td);
  const double r = o.mode() == Mode::Paper ? q.rho + (1.0 - q.rho) / td : q.rho;
  StepScalars<double> s{};
  s.beta1 = q.beta1;
  s.beta2 = q.beta2;
  s.beta3 = q.beta3;
  s.rho = q.rho;
  s.c = q.c;
  s.gamma = q.gamma;
  s.lion_beta1 = o.lion_beta1();
  s.lion_beta2 = o.lion_beta2();
  s.eps = o.eps();
  s.t = td;
  s.inv_t = 1.0 / td;
  s.inv_bias1 = 1.0 / bias1;
  s.inv_bias2 = 1.0 / bias2;
  s.dmhat_dm = td * std::pow(q.beta1, td - 1.0) / (bias1 * bias1);
  s.dvhat_dmix = td * std::pow(q.beta2, td - 1.0) / (bias2 * bias2);
  s.r_inv_bias2 = r / bias2;
  return s;
}

}  // namespace mada::kernels
