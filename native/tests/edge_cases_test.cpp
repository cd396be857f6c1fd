// The spec's "Edge cases (both modes)": refused options, and vhat = 0 under flush-to-zero.
#include "quadratic_problem.h"

#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace {

using mada::ErrorKind;
using mada::MadaOptions;

std::string refusal(const MadaOptions& options) {
  try {
    mada::Mada opt({torch::zeros({2})}, options);
  } catch (const mada::Error& e) {
    EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(ErrorKind::InvalidArgument)) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "the options were accepted";
  return "";
}

TEST(EdgeCases, OptionsTheMathCannotTakeAreRefused) {
  EXPECT_NE(refusal(MadaOptions::Adam().eps(0.0)).find("eps"), std::string::npos);
  // beta2's domain is [0.5, 1): a lower bound below it is refused.
  const std::string low = refusal(MadaOptions::MADA().lower({0.01, 0.3, 0, 0, 0, 0}));
  EXPECT_NE(low.find("lower.beta2"), std::string::npos) << low;
  EXPECT_NE(low.find("0.5"), std::string::npos) << low;
  EXPECT_NE(refusal(MadaOptions::MADA().upper({1.0, 0.99, 0.99, 1, 1, 1})).find("upper.beta1"), std::string::npos);
}

TEST(EdgeCases, AStartOutsideItsBoundsIsRefusedNotProjected) {
  // torch's Adam default beta2 = 0.999 lies above MADA's default upper bound 0.99.
  const std::string what = refusal(MadaOptions::Adam().q0({0.9, 0.999, 0, 1, 1, 1}));
  EXPECT_NE(what.find("q0.beta2"), std::string::npos) << what;
  EXPECT_NE(what.find("0.999"), std::string::npos) << what;
  EXPECT_NE(what.find("0.99]"), std::string::npos) << what;  // the bounds it lies outside
  // Widened bounds take it, and the optimizer runs exactly that point.
  auto options = MadaOptions::Adam().q0({0.9, 0.999, 0, 1, 1, 1});
  options.upper()[1] = 0.9999;
  mada::Mada opt({torch::zeros({2})}, options);
  EXPECT_EQ(opt.coefficients()[1], 0.999);
}

// A parameter element whose gradient stays 0: its v decays from 1e-15 into the denormals and,
// with flush-to-zero on (torch.set_flush_denormal(True)), to exactly 0. Its direction and its
// derivatives must then be 0, not 0 * inf: before the rule, every preset failed after about a
// thousand steps with "a gradient holds NaN or Inf" (the NaN sat in the derivative buffers).
TEST(EdgeCases, VhatZeroUnderFlushToZeroGivesZeroNotNaN) {
  const int saved_threads = at::get_num_threads();
  at::set_num_threads(1);  // the step runs on this thread, whose flush-to-zero we set
  ASSERT_TRUE(at::globalContext().setFlushDenormal(true)) << "this CPU cannot flush denormals";
  for (const auto& options : {MadaOptions::Adam(1e-2), MadaOptions::AdamW(1e-2), MadaOptions::HyperAdam(1e-2),
                              MadaOptions::MADA(1e-2)}) {
    for (auto mode : {mada::Mode::Paper, mada::Mode::Reference}) {
      torch::Tensor p = torch::ones({16});
      mada::Mada opt({p}, MadaOptions(options).mode(mode));
      const torch::Tensor live = torch::arange(16) < 8;  // half the elements get a gradient
      for (int t = 1; t <= 1500; ++t) {
        p.mutable_grad() = torch::where(live, torch::full({16}, 0.1f * std::sin(0.1f * t)), torch::zeros({16}));
        ASSERT_NO_THROW(opt.step()) << "update " << t;
      }
      EXPECT_TRUE(torch::isfinite(p).all().item<bool>());
      if (options.weight_decay() == 0.0)  // only AdamW's decay moves the elements without gradient
        EXPECT_TRUE(torch::equal(p.masked_select(~live), torch::ones({8})));
      const auto* state = opt.state_of(p);
      ASSERT_NE(state, nullptr);
      EXPECT_TRUE(torch::isfinite(state->d).all().item<bool>());
      EXPECT_TRUE(torch::equal(state->v.masked_select(~live), torch::zeros({8})));  // really flushed
      for (std::size_t k = 0; k < mada::kCoefficientCount; ++k) EXPECT_TRUE(std::isfinite(opt.hypergradient()[k]));
    }
  }
  at::globalContext().setFlushDenormal(false);
  at::set_num_threads(saved_threads);
}

}  // namespace
