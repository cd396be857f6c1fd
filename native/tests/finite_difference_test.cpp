// The analytic hypergradient against central finite differences, in float64.
//  - paper mode: h_k from the optimizer equals d L_{t+1} / d q_k, the derivative of the next
//    loss with respect to the coefficients used by update t (spec step 1), taken by re-running
//    update t with q_k +- e from a checkpoint;
//  - both modes, per element: each derivative buffer D_k equals the finite difference of the
//    spec's step-5 direction, with vbar following v (paper) or held fixed (reference).
#include "quadratic_problem.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

namespace {

using mada::Coefficients;
using mada::kCoefficientCount;
using mada::kCoefficientNames;
using mada::Mode;
using mada::testing::clones;
using mada::testing::QuadraticProblem;

const Coefficients kInterior{0.85, 0.93, 0.3, 0.6, 0.4, 0.7};

mada::MadaOptions fixed_options(Mode mode, double grad_clip) {
  return mada::MadaOptions::MADA(0.02).learn(mada::kLearnNone).q0(kInterior).weight_decay(0.05)
      .grad_clip(grad_clip).mode(mode);
}

void expect_hypergradient_matches_next_loss(double grad_clip, uint64_t seed) {
  const int64_t t = 6;
  const double e = 1e-6;
  QuadraticProblem problem({{7, 5}, {3}, {2, 3, 3}}, torch::kDouble, seed);
  const auto options = fixed_options(Mode::Paper, grad_clip);
  auto params = problem.initial_params();
  mada::Mada opt(params, options);
  for (int64_t s = 1; s < t; ++s) {
    problem.set_gradients(params, s);
    opt.step();
  }
  const std::string before = mada::save_to_bytes(opt);
  const auto params_before = clones(params);

  problem.set_gradients(params, t);
  opt.step();
  problem.set_gradients(params, t + 1);
  opt.step();
  const Coefficients analytic = opt.hypergradient();

  double scale = 0.0;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) scale = std::max(scale, std::abs(analytic[k]));
  ASSERT_GT(scale, 1e-3) << "a degenerate problem proves nothing";
  double worst = 0.0;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    double loss[2];
    for (int side = 0; side < 2; ++side) {
      auto p = clones(params_before);
      mada::Mada o(p, options);
      mada::load_from_bytes(o, before.data(), before.size());
      Coefficients q = kInterior;
      q[k] += side == 0 ? e : -e;
      o.set_coefficients(q);
      problem.set_gradients(p, t);
      o.step();
      loss[side] = problem.loss(p, t + 1);
    }
    const double numeric = (loss[0] - loss[1]) / (2 * e);
    worst = std::max(worst, std::abs(analytic[k] - numeric) / scale);
    EXPECT_NEAR(analytic[k], numeric, 1e-7 * scale)
        << kCoefficientNames[k] << ", grad_clip " << grad_clip << ", seed " << seed;
  }
  std::printf("  hypergradient vs finite difference: worst |error| / max|h| = %.1e\n", worst);
}

TEST(FiniteDifference, PaperHypergradientIsTheDerivativeOfTheNextLoss) {
  for (uint64_t seed : {11, 12}) expect_hypergradient_matches_next_loss(0.0, seed);
}

TEST(FiniteDifference, PaperHypergradientWithGradientClipping) {
  expect_hypergradient_matches_next_loss(1.5, 13);
}

// The step-5 direction of one element, transcribed from the spec as an oracle.
struct OldState {
  double m, v, vbar, n, mL, gprev;
};

double sign(double x) { return (x > 0) - (x < 0); }

double direction(const Coefficients& q, double g, const OldState& s, double t, bool hold_vbar,
                 double vbar_held) {
  const double lb1 = 0.95, lb2 = 0.98, eps = 1e-6;
  const double dg = g - s.gprev;
  const double ghat = g + q.beta3 * dg;
  const double sg = sign(ghat * ghat - s.v);
  const double gt2 = q.c * ghat * ghat + (1 - q.c) * (s.v + ghat * ghat * sg);
  const double m = q.beta1 * s.m + (1 - q.beta1) * g;
  const double v = q.beta2 * s.v + (1 - q.beta2) * gt2;
  const double n = q.beta3 * s.n + (1 - q.beta3) * dg;
  const double mL = lb2 * s.mL + (1 - lb2) * g;
  const double u = lb1 * mL + (1 - lb1) * g;
  const double vbar = hold_vbar ? vbar_held : (v + (t - 1) * s.vbar) / t;
  const double mhat = m / (1 - std::pow(q.beta1, t));
  const double vhat = (q.rho * v + (1 - q.rho) * vbar) / (1 - std::pow(q.beta2, t));
  const double A = (mhat + q.beta3 * n) / (std::sqrt(vhat) + eps);
  return q.gamma * A + (1 - q.gamma) * sign(u);
}

const mada::MadaParamState& state_of(const mada::Mada& opt, const torch::Tensor& p) {
  return *opt.state_of(p);
}

void expect_derivative_buffers_match(Mode mode) {
  const int64_t t = 5;
  const double e = 1e-6;
  QuadraticProblem problem({{9, 4}}, torch::kDouble, 21);
  auto params = problem.initial_params();
  mada::Mada opt(params, fixed_options(mode, 0.0).weight_decay(0.0));
  for (int64_t s = 1; s < t; ++s) {
    problem.set_gradients(params, s);
    opt.step();
  }
  const auto& st = state_of(opt, params[0]);
  const auto old_m = st.m.clone(), old_v = st.v.clone(), old_vbar = st.vbar.clone();
  const auto old_n = st.n.clone(), old_mL = st.mL.clone();
  const auto old_gprev = mode == Mode::Paper ? st.gprev.clone() : torch::zeros_like(st.m);
  problem.set_gradients(params, t);
  const auto g = params[0].grad().reshape({-1}).clone();
  opt.step();
  const auto d = state_of(opt, params[0]).d;
  const auto new_vbar = state_of(opt, params[0]).vbar;

  double worst = 0.0;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    const double scale = d[k].abs().max().item<double>();
    for (int64_t i = 0; i < g.numel(); ++i) {
      const OldState s{old_m[i].item<double>(), old_v[i].item<double>(), old_vbar[i].item<double>(),
                       old_n[i].item<double>(), old_mL[i].item<double>(), old_gprev[i].item<double>()};
      const bool hold = mode == Mode::Reference;
      Coefficients up = kInterior, down = kInterior;
      up[k] += e;
      down[k] -= e;
      const double gi = g[i].item<double>();
      const double numeric = (direction(up, gi, s, t, hold, new_vbar[i].item<double>()) -
                              direction(down, gi, s, t, hold, new_vbar[i].item<double>())) /
                             (2 * e);
      EXPECT_NEAR(d[k][i].item<double>(), numeric, 1e-7 * scale + 1e-12)
          << kCoefficientNames[k] << " of element " << i;
      worst = std::max(worst, std::abs(d[k][i].item<double>() - numeric) / (scale + 1e-9));
    }
  }
  std::printf("  derivative buffers vs finite difference: worst |error| / max|D_k| = %.1e\n", worst);
}

TEST(FiniteDifference, PaperDerivativeBuffersFollowVbar) { expect_derivative_buffers_match(Mode::Paper); }

TEST(FiniteDifference, ReferenceDerivativeBuffersHoldVbarFixed) {
  expect_derivative_buffers_match(Mode::Reference);
}

}  // namespace
