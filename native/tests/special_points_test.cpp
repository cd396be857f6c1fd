// The spec's special points: Lion (gamma = 0) moves each element by exactly lr * sign(u), and
// the presets sit at the fixed points the spec names, learning what it says.
#include "quadratic_problem.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace {

using mada::Coefficient;
using mada::MadaOptions;
using mada::testing::clones;
using mada::testing::QuadraticProblem;

TEST(LionPoint, EachElementMovesByExactlyLrTimesSignOfU) {
  QuadraticProblem problem({{13, 7}, {7}}, torch::kFloat, 31);
  auto params = problem.initial_params();
  const float lr = 3e-3f;
  mada::Mada opt(params, MadaOptions::Lion(lr));
  // The Lion momentum, tracked independently in float64: mL = lb2*mL + (1-lb2)*g,
  // u = lb1*mL + (1-lb1)*g with the updated mL.
  std::vector<torch::Tensor> mL;
  for (const auto& p : params) mL.push_back(torch::zeros_like(p, torch::kDouble));
  int64_t moved = 0;
  for (int64_t t = 1; t <= 30; ++t) {
    problem.set_gradients(params, t);
    const auto before = clones(params);
    opt.step();
    for (size_t i = 0; i < params.size(); ++i) {
      const auto g = params[i].grad().to(torch::kDouble);
      mL[i] = 0.98 * mL[i] + 0.02 * g;
      const auto u = 0.95 * mL[i] + 0.05 * g;
      const auto expected = before[i] - lr * u.sign().to(torch::kFloat);
      ASSERT_TRUE(torch::equal(params[i], expected)) << "tensor " << i << ", step " << t;
      moved += (params[i] != before[i]).sum().item<int64_t>();
    }
  }
  EXPECT_GT(moved, 0);
  EXPECT_EQ(opt.coefficients().gamma, 0.0);
}

struct PresetCase {
  const char* name;
  MadaOptions options;
  mada::Coefficients point;  // NaN: free to start anywhere
  mada::LearnMask learns;
};

TEST(Presets, SitAtTheSpecsFixedPoints) {
  const auto b1 = mada::learn_bit(Coefficient::Beta1), b2 = mada::learn_bit(Coefficient::Beta2);
  const PresetCase cases[] = {
      {"Adam", MadaOptions::Adam(), {0.9, 0.95, 0, 1, 1, 1}, mada::kLearnNone},
      {"AdamW", MadaOptions::AdamW(), {0.9, 0.95, 0, 1, 1, 1}, mada::kLearnNone},
      {"AVGrad", MadaOptions::AVGrad(), {0.9, 0.95, 0, 0, 1, 1}, mada::kLearnNone},
      {"Yogi", MadaOptions::Yogi(), {0.9, 0.95, 0, 1, 0, 1}, mada::kLearnNone},
      {"Adan", MadaOptions::Adan(), {0.9, 0.95, 0.08, 1, 1, 1}, mada::kLearnNone},
      {"Lion", MadaOptions::Lion(), {0.9, 0.95, 0, 1, 1, 0}, mada::kLearnNone},
      {"HyperAdam", MadaOptions::HyperAdam(), {0.9, 0.95, 0, 1, 1, 1}, b1 | b2},
      {"MADA", MadaOptions::MADA(), {0.9, 0.95, 0, 1, 1, 1}, mada::kLearnAll},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.options.q0(), c.point) << c.name;
    EXPECT_EQ(c.options.learn(), c.learns) << c.name;
    EXPECT_NO_THROW(c.options.validate()) << c.name;
  }
  EXPECT_EQ(MadaOptions::AdamW().weight_decay(), 1e-2);
  EXPECT_EQ(MadaOptions::MADA().hyper_lr(), (mada::Coefficients{5e-4, 5e-4, 0.1, 0.1, 0.1, 0.1}));
  EXPECT_EQ(MadaOptions().eps(), 1e-6);
  EXPECT_EQ(MadaOptions().hypergrad_clip(), 10.0);
}

TEST(Presets, FixedPointsStayPutWhileLearningMovesMada) {
  QuadraticProblem problem({{11, 3}}, torch::kFloat, 41);
  auto fixed_params = problem.initial_params();
  auto learning_params = problem.initial_params();
  mada::Mada fixed(fixed_params, MadaOptions::Yogi(1e-2));
  mada::Mada learning(learning_params, MadaOptions::MADA(1e-2));
  const MadaOptions& o = MadaOptions::MADA(1e-2);
  int moved = 0;
  for (int64_t t = 1; t <= 20; ++t) {
    problem.set_gradients(fixed_params, t);
    problem.set_gradients(learning_params, t);
    fixed.step();
    const mada::Coefficients before = learning.coefficients();
    learning.step();
    // Every hyper step is the spec's (steps 1-2), written here from the spec: q_k - eta_k *
    // h_k * min(1, 10 / (|h_k| + 1e-6)), clamped into the bounds; none before the second update.
    const mada::Coefficients h = learning.hypergradient();
    for (std::size_t k = 0; k < mada::kCoefficientCount; ++k) {
      double expected = before[k];
      if (t >= 2) {
        const double clipped = h[k] * std::min(1.0, 10.0 / (std::abs(h[k]) + 1e-6));
        expected = std::clamp(before[k] - o.hyper_lr()[k] * clipped, o.lower()[k], o.upper()[k]);
      }
      EXPECT_NEAR(learning.coefficients()[k], expected, 1e-12) << "coefficient " << k << " at update " << t;
      moved += learning.coefficients()[k] != before[k];
    }
  }
  EXPECT_EQ(fixed.coefficients(), MadaOptions::Yogi().q0());
  EXPECT_GT(moved, 20) << "the hyper steps hardly moved MADA";
  for (std::size_t k = 0; k < mada::kCoefficientCount; ++k) {
    EXPECT_GE(learning.coefficients()[k], MadaOptions().lower()[k]);
    EXPECT_LE(learning.coefficients()[k], MadaOptions().upper()[k]);
  }
}

// A restart point given later is projected (the start q0 is refused instead: edge_cases_test).
TEST(Projection, SetCoefficientsProjectsIntoTheBounds) {
  torch::Tensor p = torch::zeros({3});
  mada::Mada opt({p}, MadaOptions());
  opt.set_coefficients({1.5, 0.2, -1.0, 2.0, 0.5, 0.5});
  EXPECT_EQ(opt.coefficients(), (mada::Coefficients{0.99, 0.501, 0.0, 1.0, 0.5, 0.5}));
}

}  // namespace
