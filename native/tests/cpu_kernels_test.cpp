// The AVX2 and the baseline builds of the CPU step's loops compute the same bits.
#include "kernels/src/cpu/loop_table.h"
#include "quadratic_problem.h"

#include <gtest/gtest.h>

namespace {

using mada::testing::QuadraticProblem;

struct Result {
  std::vector<torch::Tensor> params;
  mada::Coefficients q, h;
};

Result run(const mada::kernels::CpuLoops& kernels, torch::Dtype dtype, mada::Mode mode) {
  mada::kernels::override_loops(&kernels);
  QuadraticProblem problem({{301, 67}, {67}, {5, 3, 2049}}, dtype, 91);
  Result r{problem.initial_params(), {}, {}};
  mada::Mada opt(r.params, mada::MadaOptions::MADA(1e-2).mode(mode).grad_clip(40.0).weight_decay(0.01));
  for (int64_t t = 1; t <= 6; ++t) {
    problem.set_gradients(r.params, t);
    opt.step();
  }
  r.q = opt.coefficients();
  r.h = opt.hypergradient();
  mada::kernels::override_loops(nullptr);
  return r;
}

TEST(CpuKernels, Avx2AndBaselineComputeTheSameBits) {
  const auto* avx2 = mada::kernels::avx2_loops();
  if (avx2 == nullptr) GTEST_SKIP() << "this processor or build has no AVX2";
  for (auto dtype : {torch::kFloat, torch::kDouble}) {
    for (auto mode : {mada::Mode::Paper, mada::Mode::Reference}) {
      const Result base = run(mada::kernels::baseline_loops(), dtype, mode);
      const Result wide = run(*avx2, dtype, mode);
      EXPECT_TRUE(mada::testing::all_equal(base.params, wide.params));
      EXPECT_EQ(base.q, wide.q);
      EXPECT_EQ(base.h, wide.h);
    }
  }
}

}  // namespace
