// At Adam's point (beta3 = 0, rho = c = gamma = 1) with nothing learning, MADA is AdamW:
// compare with libtorch's own torch::optim::AdamW on random problems over 100 steps.
#include "quadratic_problem.h"

#include <gtest/gtest.h>

namespace {

using mada::testing::QuadraticProblem;

double max_relative_difference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double worst = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto diff = (a[i] - b[i]).abs().max().item<double>();
    const auto scale = b[i].abs().max().item<double>();
    worst = std::max(worst, diff / scale);
  }
  return worst;
}

void expect_adamw(torch::Dtype dtype, uint64_t seed, double tolerance) {
  QuadraticProblem problem({{17, 5}, {5}, {3, 4, 2}}, dtype, seed);
  torch::manual_seed(seed + 1);
  const double lr = 1e-3 + 2e-2 * torch::rand({1}).item<double>();
  const double beta1 = 0.8 + 0.15 * torch::rand({1}).item<double>();
  const double beta2 = 0.9 + 0.09 * torch::rand({1}).item<double>();
  const double wd = 0.1 * torch::rand({1}).item<double>();
  const double eps = 1e-8;

  auto ours = problem.initial_params();
  auto theirs = problem.initial_params();
  mada::Mada mada(ours, mada::MadaOptions::Adam(lr).q0({beta1, beta2, 0, 1, 1, 1}).eps(eps).weight_decay(wd));
  torch::optim::AdamW adamw(theirs, torch::optim::AdamWOptions(lr).betas({beta1, beta2}).eps(eps).weight_decay(wd));

  for (int64_t t = 1; t <= 100; ++t) {
    problem.set_gradients(ours, t);
    problem.set_gradients(theirs, t);
    mada.step();
    adamw.step();
    ASSERT_LE(max_relative_difference(ours, theirs), tolerance) << "seed " << seed << ", step " << t;
  }
  EXPECT_EQ(mada.coefficients(), (mada::Coefficients{beta1, beta2, 0, 1, 1, 1}));
}

TEST(AdamPoint, EqualsLibtorchAdamWInFloat64) {
  for (uint64_t seed : {1, 2, 3}) expect_adamw(torch::kDouble, seed, 1e-10);
}

TEST(AdamPoint, EqualsLibtorchAdamWInFloat32) {
  for (uint64_t seed : {4, 5}) expect_adamw(torch::kFloat, seed, 2e-5);
}

}  // namespace
