// The compact state: the six derivative buffers in bfloat16. What it must be, checked against
// oracles outside the kernel: libtorch's own bfloat16 conversion, and the hypergradient summed
// in double from the full-precision run's rounded buffers.
#include "quadratic_problem.h"

#include "kernels/src/math/bfloat16.h"

#include <mada/mada_kernels.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>

namespace {

using mada::MadaOptions;
using mada::Mode;
using mada::kernels::BFloat16;
using mada::kernels::to_bfloat16;
using mada::kernels::to_float;
using mada::testing::QuadraticProblem;

uint16_t torch_bits(float x) {
  const torch::Tensor b = torch::tensor({x}).to(torch::kBFloat16);
  uint16_t bits;
  std::memcpy(&bits, b.data_ptr(), sizeof bits);
  return bits;
}

TEST(BFloat16, RoundsToNearestEvenAsLibtorchDoes) {
  std::mt19937 gen(7);
  std::uniform_int_distribution<uint32_t> any_bits;
  std::vector<float> xs = {0.0f, -0.0f, 1.0f, -1.5f, 1e-40f, -1e-45f, 3.3e38f, 1.00390625f /* a tie */,
                           1.01171875f /* a tie, rounds up to even */};
  for (int i = 0; i < 200000; ++i) {
    const uint32_t u = any_bits(gen);
    float x;
    std::memcpy(&x, &u, sizeof x);
    if (std::isfinite(x) && std::abs(x) < 3.38e38f) xs.push_back(x);
  }
  for (float x : xs) {
    ASSERT_EQ(to_bfloat16(x).bits, torch_bits(x)) << x;
    // Widening is exact: the bfloat16 is the top half of the float.
    ASSERT_EQ(to_bfloat16(to_float(to_bfloat16(x))).bits, to_bfloat16(x).bits) << x;
  }
}

TEST(BFloat16, FiniteValuesAboveItsRangeSaturateInsteadOfBecomingInfinite) {
  const float big = std::numeric_limits<float>::max();
  EXPECT_TRUE(std::isinf(to_float(BFloat16{torch_bits(big)})));  // what plain rounding gives
  EXPECT_EQ(to_bfloat16(big).bits, 0x7F7F);
  EXPECT_EQ(to_bfloat16(-big).bits, 0xFF7F);
  EXPECT_TRUE(std::isfinite(to_float(to_bfloat16(-big))));
}

const std::vector<std::vector<int64_t>> kShapes{{37, 5}, {11}, {64}};

std::vector<torch::Tensor> derivatives(const mada::Mada& opt, const std::vector<torch::Tensor>& params) {
  std::vector<torch::Tensor> d;
  for (const auto& p : params)
    d.push_back(static_cast<const mada::MadaParamState&>(*opt.state().at(mada::state_key(p))).d);
  return d;
}

class CompactState : public ::testing::TestWithParam<Mode> {};

// A full-precision and a compact optimizer in lockstep, where before each step the full one's
// derivatives are set to the compact one's (widened, which is exact). Then both read the same
// derivative values, so everything but the stored derivatives must match bit for bit, and the
// compact ones must be the full ones rounded by libtorch's conversion. A compact step that read
// or wrote its bfloat16 rows wrongly, or rounded otherwise, fails here.
TEST_P(CompactState, IsTheFullPrecisionStepWithItsDerivativesRounded) {
  const Mode mode = GetParam();
  QuadraticProblem problem(kShapes, torch::kFloat, 3);
  auto full_params = problem.initial_params();
  auto compact_params = problem.initial_params();
  mada::Mada full(full_params, MadaOptions::MADA(0.02).mode(mode).grad_clip(5.0));
  mada::Mada compact(compact_params, MadaOptions::MADA(0.02).mode(mode).grad_clip(5.0).compact_state(true));
  for (int64_t t = 1; t <= 15; ++t) {
    problem.set_gradients(full_params, t);
    problem.set_gradients(compact_params, t);
    if (t > 1) {
      const auto full_d = derivatives(full, full_params), compact_d = derivatives(compact, compact_params);
      for (size_t i = 0; i < full_d.size(); ++i) full_d[i].copy_(compact_d[i].to(torch::kFloat));
    }
    full.step();
    compact.step();
    ASSERT_EQ(compact.hypergradient(), full.hypergradient()) << "t " << t;
    ASSERT_EQ(compact.coefficients(), full.coefficients()) << "t " << t;
    const auto full_d = derivatives(full, full_params), compact_d = derivatives(compact, compact_params);
    for (size_t i = 0; i < full_d.size(); ++i) {
      ASSERT_EQ(compact_d[i].scalar_type(), torch::kBFloat16);
      ASSERT_TRUE(torch::equal(compact_d[i], full_d[i].to(torch::kBFloat16))) << "t " << t << " parameter " << i;
      ASSERT_TRUE(torch::equal(compact_params[i], full_params[i])) << "t " << t << " parameter " << i;
    }
  }
  // The coefficients learned: the hypergradient was not zero all along.
  EXPECT_NE(compact.coefficients(), MadaOptions::MADA(0.02).q0());
}

// The engine (the C ABI's step over borrowed memory) keeps the same compact state: it steps
// exactly as the libtorch optimizer does, saves and resumes it, and refuses to load a state of
// the other precision.
TEST_P(CompactState, TheEngineStepsSavesAndRefusesLikeTheOptimizer) {
  const Mode mode = GetParam();
  QuadraticProblem problem(kShapes, torch::kFloat, 4);
  auto params = problem.initial_params();
  auto engine_params = problem.initial_params();
  mada::Mada opt(params, MadaOptions::MADA(0.02).mode(mode).compact_state(true));
  mada_options o{};
  ASSERT_EQ(mada_options_preset(MADA_PRESET_MADA, &o), MADA_OK);
  o.lr = 0.02;
  o.mode = mode == Mode::Paper ? MADA_MODE_PAPER : MADA_MODE_REFERENCE;
  o.compact_state = 1;
  auto make = [&](const mada_options& options) {
    mada_engine* e = nullptr;
    EXPECT_EQ(mada_engine_create(&options, &e), MADA_OK);
    std::vector<int64_t> numels;
    for (const auto& p : engine_params) numels.push_back(p.numel());
    EXPECT_EQ(mada_engine_add_group(e, numels.data(), numels.size(), MADA_DTYPE_FLOAT32, 0.02, 0.0), MADA_OK);
    return std::unique_ptr<mada_engine, void (*)(mada_engine*)>(e, mada_engine_destroy);
  };
  auto engine = make(o);
  auto engine_step = [&](mada_engine* e, int64_t t) {
    problem.set_gradients(engine_params, t);
    std::vector<void*> p;
    std::vector<const void*> g;
    for (auto& x : engine_params) {
      p.push_back(x.data_ptr());
      g.push_back(x.grad().data_ptr());
    }
    return mada_engine_step(e, p.data(), g.data(), p.size());
  };
  auto save = [](const mada_engine* e) {
    size_t size = 0;
    EXPECT_EQ(mada_engine_save_buffer(e, nullptr, 0, &size), MADA_OK);
    std::string bytes(size, '\0');
    EXPECT_EQ(mada_engine_save_buffer(e, reinterpret_cast<uint8_t*>(bytes.data()), size, &size), MADA_OK);
    return bytes;
  };
  std::string at_six;
  std::vector<torch::Tensor> params_at_six;
  for (int64_t t = 1; t <= 10; ++t) {
    problem.set_gradients(params, t);
    opt.step();
    ASSERT_EQ(engine_step(engine.get(), t), MADA_OK);
    if (t == 6) {
      at_six = save(engine.get());
      params_at_six = mada::testing::clones(engine_params);
    }
  }
  EXPECT_TRUE(mada::testing::all_equal(engine_params, params));

  // Resumed at step 6, four more steps end where the uninterrupted run did, state and all.
  const std::string at_ten = save(engine.get());
  auto resumed = make(o);
  ASSERT_EQ(mada_engine_load_buffer(resumed.get(), reinterpret_cast<const uint8_t*>(at_six.data()), at_six.size()),
            MADA_OK);
  for (size_t i = 0; i < engine_params.size(); ++i) engine_params[i].detach().copy_(params_at_six[i]);
  for (int64_t t = 7; t <= 10; ++t) ASSERT_EQ(engine_step(resumed.get(), t), MADA_OK);
  EXPECT_EQ(save(resumed.get()), at_ten);
  EXPECT_TRUE(mada::testing::all_equal(engine_params, params));

  mada_options full_options = o;
  full_options.compact_state = 0;
  auto full = make(full_options);
  EXPECT_EQ(mada_engine_load_buffer(full.get(), reinterpret_cast<const uint8_t*>(at_ten.data()), at_ten.size()),
            MADA_ERROR_CHECKPOINT);
  char message[512];
  mada_last_error(message, sizeof message);
  EXPECT_NE(std::string(message).find("bfloat16"), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(Modes, CompactState, ::testing::Values(Mode::Paper, Mode::Reference));

}  // namespace
