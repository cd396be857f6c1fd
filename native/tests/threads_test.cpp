// The step's results do not depend on the thread count: pass 1 sums fixed blocks in a fixed
// order, pass 2 is elementwise.
#include "quadratic_problem.h"

#include <gtest/gtest.h>

#include <ATen/Parallel.h>

namespace {

using mada::testing::QuadraticProblem;

struct StepResult {
  std::vector<torch::Tensor> params;
  mada::Coefficients q, h;
};

StepResult run_with_threads(int threads) {
  const int saved = at::get_num_threads();
  at::set_num_threads(threads);
  // Several blocks per tensor, odd sizes, so work really is split.
  QuadraticProblem problem({{301, 217}, {4099}, {3, 7, 1013}}, torch::kFloat, 61);
  StepResult r{problem.initial_params(), {}, {}};
  mada::Mada opt(r.params, mada::MadaOptions::MADA(1e-2).grad_clip(50.0));
  for (int64_t t = 1; t <= 8; ++t) {
    problem.set_gradients(r.params, t);
    opt.step();
  }
  r.q = opt.coefficients();
  r.h = opt.hypergradient();
  at::set_num_threads(saved);
  return r;
}

TEST(Threads, ResultsAreBitIdenticalForAnyThreadCount) {
  const StepResult one = run_with_threads(1);
  EXPECT_NE(one.h, mada::Coefficients{});
  for (int threads : {2, 3, 4}) {
    const StepResult many = run_with_threads(threads);
    EXPECT_TRUE(mada::testing::all_equal(one.params, many.params)) << threads << " threads";
    EXPECT_EQ(one.q, many.q) << threads << " threads";
    EXPECT_EQ(one.h, many.h) << threads << " threads";
  }
}

}  // namespace
