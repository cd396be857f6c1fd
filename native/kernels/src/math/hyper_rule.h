// The coefficients' own update (the spec's steps 2-4) and the per-step scalars, written once
// for the host and the device: the CPU step calls these from hyper_step.cpp and
// step_scalars.cpp, the CUDA step from its one-thread hyper kernel, so both run the same
// arithmetic in double.
#pragma once

#include "element_update.h"

#include <mada/step_options.h>

#include <cmath>
#include <cstdint>

namespace mada::kernels {

// What the hyper step and the step scalars read of the options: plain data, copyable to the
// device by value.
struct HyperRule {
  double lower[kCoefficientCount], upper[kCoefficientCount], hyper_lr[kCoefficientCount];
  unsigned learn;  // LearnMask
  double hypergrad_clip, lion_beta1, lion_beta2, eps;
  bool paper;
};

inline HyperRule hyper_rule(const StepOptions& o) {
  HyperRule r{};
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    r.lower[k] = o.lower()[k];
    r.upper[k] = o.upper()[k];
    r.hyper_lr[k] = o.hyper_lr()[k];
  }
  r.learn = o.learn();
  r.hypergrad_clip = o.hypergrad_clip();
  r.lion_beta1 = o.lion_beta1();
  r.lion_beta2 = o.lion_beta2();
  r.eps = o.eps();
  r.paper = o.mode() == Mode::Paper;
  return r;
}

// q clamped into [lower, upper], coefficient by coefficient (std::max then std::min).
MADA_HOST_DEVICE void project_into(const HyperRule& r, double* q) {
  for (int k = 0; k < static_cast<int>(kCoefficientCount); ++k) {
    const double above = q[k] < r.lower[k] ? r.lower[k] : q[k];
    q[k] = r.upper[k] < above ? r.upper[k] : above;
  }
}

// One hyper step of q in place with hypergradient h: clip, SGD on the learning coefficients,
// project.
MADA_HOST_DEVICE void hyper_update(const HyperRule& r, const double* h, double* q) {
  for (int k = 0; k < static_cast<int>(kCoefficientCount); ++k) {
    if ((r.learn & (1u << k)) == 0) continue;
    const double ratio = r.hypergrad_clip / (fabs(h[k]) + 1e-6);
    const double clipped = h[k] * (ratio < 1.0 ? ratio : 1.0);
    q[k] -= r.hyper_lr[k] * clipped;
  }
  project_into(r, q);
}

// The scalars of update t with coefficients q, before the per-group lr and decay are set.
MADA_HOST_DEVICE StepScalars<double> scalars_of(const HyperRule& r, const double* q, int64_t t) {
  const double td = static_cast<double>(t);
  const double bias1 = 1.0 - pow(q[0], td), bias2 = 1.0 - pow(q[1], td);
  const double rho = q[3];
  const double rr = r.paper ? rho + (1.0 - rho) / td : rho;
  StepScalars<double> s{};
  s.beta1 = q[0];
  s.beta2 = q[1];
  s.beta3 = q[2];
  s.rho = q[3];
  s.c = q[4];
  s.gamma = q[5];
  s.lion_beta1 = r.lion_beta1;
  s.lion_beta2 = r.lion_beta2;
  s.eps = r.eps;
  s.t = td;
  s.inv_t = 1.0 / td;
  s.inv_bias1 = 1.0 / bias1;
  s.inv_bias2 = 1.0 / bias2;
  s.dmhat_dm = td * pow(q[0], td - 1.0) / (bias1 * bias1);
  s.dvhat_dmix = td * pow(q[1], td - 1.0) / (bias2 * bias2);
  s.r_inv_bias2 = rr / bias2;
  return s;
}

}  // namespace mada::kernels
