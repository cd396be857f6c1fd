// Bad input gets a clear mada::Error of the right kind and changes nothing: no parameter, no
// state, no coefficient, no step count.
#include "damaged_checkpoint.h"
#include "quadratic_problem.h"

#include <gtest/gtest.h>

#include <ATen/Parallel.h>

#include <cmath>
#include <limits>

namespace {

using mada::ErrorKind;
using mada::MadaOptions;
using mada::NonFinitePolicy;
using mada::testing::all_equal;
using mada::testing::clones;
using mada::testing::OptimizerSnapshot;
using mada::testing::QuadraticProblem;

const double kNaN = std::numeric_limits<double>::quiet_NaN();

template <typename F>
std::string expect_error(F&& f, ErrorKind kind) {
  try {
    f();
  } catch (const mada::Error& e) {
    EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(kind)) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no mada::Error was thrown";
  return "";
}

TEST(BadOptions, AreRefusedWithTheFieldNamed) {
  const std::pair<MadaOptions, const char*> cases[] = {
      {MadaOptions(-1e-3), "lr"},
      {MadaOptions(kNaN), "lr"},
      {MadaOptions().eps(-1), "eps"},
      {MadaOptions().weight_decay(-0.1), "weight_decay"},
      {MadaOptions().lower({0.5, 0.6, 0, 0, 0, 0}).upper({0.4, 0.9, 0.9, 1, 1, 1}), "beta1"},
      {MadaOptions().upper({0.99, 1.0, 0.99, 1, 1, 1}), "upper.beta2"},
      {MadaOptions().lower({0.01, 0.501, 0, -0.5, 0, 0}), "lower.rho"},
      {MadaOptions().q0({kNaN, 0.9, 0, 1, 1, 1}), "q0.beta1"},
      {MadaOptions().hyper_lr({0, -1, 0, 0, 0, 0}), "hyper_lr.beta2"},
      {MadaOptions().hypergrad_clip(0), "hypergrad_clip"},
      {MadaOptions().grad_clip(-1), "grad_clip"},
      {MadaOptions().lion_beta1(1.5), "lion_beta1"},
      {MadaOptions().learn(0x40), "learn"},
  };
  for (const auto& entry : cases) {
    const MadaOptions& options = entry.first;  // (a lambda cannot capture a structured binding in C++17)
    const char* field = entry.second;
    torch::Tensor p = torch::zeros({2});
    const std::string message = expect_error([&] { mada::Mada opt({p}, options); }, ErrorKind::InvalidArgument);
    EXPECT_NE(message.find(field), std::string::npos) << "'" << message << "' does not name " << field;
  }
}

// A NaN is spelled NaN whatever its sign bit (the C library printed "-nan" for lr = -NaN).
TEST(BadOptions, ANaNIsSpelledNaN) {
  torch::Tensor p = torch::zeros({2});
  const std::string message =
      expect_error([&] { mada::Mada opt({p}, MadaOptions(std::copysign(kNaN, -1.0))); }, ErrorKind::InvalidArgument);
  EXPECT_NE(message.find("lr = NaN"), std::string::npos) << message;
  EXPECT_EQ(message.find("nan"), std::string::npos) << message;
}

class BadStep : public ::testing::Test {
 protected:
  void SetUp() override {
    params_ = problem_.initial_params();
    opt_ = std::make_unique<mada::Mada>(params_, MadaOptions::MADA(1e-2));
    for (int64_t t = 1; t <= 3; ++t) {
      problem_.set_gradients(params_, t);
      opt_->step();
    }
    problem_.set_gradients(params_, 4);
  }

  // The step must fail with `kind` (or skip, when kind is null) and change nothing.
  std::string expect_unchanged(ErrorKind kind) {
    const OptimizerSnapshot before(*opt_);
    const auto params_before = clones(params_);
    const std::string message = expect_error([&] { opt_->step(); }, kind);
    EXPECT_TRUE(OptimizerSnapshot(*opt_) == before);
    EXPECT_TRUE(all_equal(params_, params_before));
    return message;
  }

  // Under the skip policy the step must be dropped and counted, and change nothing else.
  void expect_skipped() {
    static_cast<MadaOptions&>(opt_->defaults()).non_finite(NonFinitePolicy::Skip);
    const OptimizerSnapshot before(*opt_);
    const auto params_before = clones(params_);
    opt_->step();
    EXPECT_EQ(opt_->skipped_steps(), before.skipped + 1);
    EXPECT_EQ(opt_->step_count(), before.t);
    EXPECT_EQ(opt_->coefficients(), before.q);
    EXPECT_TRUE(all_equal(params_, params_before));
  }

  QuadraticProblem problem_{{{7, 3}, {3}}, torch::kFloat, 71};
  std::vector<torch::Tensor> params_;
  std::unique_ptr<mada::Mada> opt_;
};

TEST_F(BadStep, AGradientOfTheWrongShape) {
  params_[1].mutable_grad() = torch::ones({4});
  EXPECT_NE(expect_unchanged(ErrorKind::InvalidArgument).find("shape"), std::string::npos);
}

TEST_F(BadStep, AGradientOfTheWrongDtype) {
  params_[0].mutable_grad() = params_[0].grad().to(torch::kDouble);
  EXPECT_NE(expect_unchanged(ErrorKind::InvalidArgument).find("dtype"), std::string::npos);
}

TEST_F(BadStep, ANaNGradientIsRefusedByDefault) {
  params_[1].mutable_grad()[2] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_NE(expect_unchanged(ErrorKind::NonFinite).find("NaN"), std::string::npos);
}

TEST_F(BadStep, AnInfiniteGradientIsRefusedByDefault) {
  params_[0].mutable_grad()[3][1] = -std::numeric_limits<float>::infinity();
  expect_unchanged(ErrorKind::NonFinite);
}

TEST_F(BadStep, TheSkipPolicyDropsTheStepAndCountsIt) {
  opt_->defaults().set_lr(1e-2);
  params_[0].mutable_grad()[0][0] = std::numeric_limits<float>::quiet_NaN();
  const int64_t t = opt_->step_count();
  expect_skipped();
  // The next good step goes on as if the bad one never came.
  problem_.set_gradients(params_, 4);
  opt_->step();
  EXPECT_EQ(opt_->step_count(), t + 1);
}

// A finite gradient too large for the float32 second moment (1e20, 3e38) was accepted and made
// the state non-finite, after which every step was refused as "NaN or Inf" although the new
// gradients were fine. Now the step is refused naming the parameter, nothing changes, and the
// next ordinary step goes on (spec, "Edge cases": nothing non-finite is ever stored).
TEST_F(BadStep, AHugeFiniteGradientIsRefusedAndLaterStepsGoOn) {
  for (const float huge : {1e20f, -3e38f}) {
    params_[1].mutable_grad()[0] = huge;
    const std::string message = expect_unchanged(ErrorKind::NonFinite);
    EXPECT_NE(message.find("parameter 1"), std::string::npos) << message;
    EXPECT_NE(message.find("magnitude"), std::string::npos) << message;
  }
  for (int64_t t = 4; t <= 8; ++t) {
    problem_.set_gradients(params_, t);
    ASSERT_NO_THROW(opt_->step());
  }
  for (const auto& p : params_) EXPECT_TRUE(torch::isfinite(p).all().item<bool>());
  EXPECT_TRUE(std::isfinite(opt_->grad_norm()));
}

// lr = 1e30 carried parameters past the float range. torch's param groups can be written from
// outside (a scheduler), so the step checks them too: refused as the caller's invalid argument
// (not as a non-finite gradient), naming the lr and its limit.
TEST_F(BadStep, AnEnormousLearningRateIsRefused) {
  opt_->param_groups()[0].options().set_lr(1e30);
  const std::string message = expect_unchanged(ErrorKind::InvalidArgument);
  EXPECT_NE(message.find("lr = 1e+30 is above"), std::string::npos) << message;
  opt_->param_groups()[0].options().set_lr(1e-2);
  ASSERT_NO_THROW(opt_->step());
  for (const auto& p : params_) EXPECT_TRUE(torch::isfinite(p).all().item<bool>());
}

// lr x weight_decay above 2 makes the decay grow every parameter at every step, until it
// overflows: refused like an enormous lr, naming the product; at 2 the step goes on.
TEST_F(BadStep, ADecayThatGrowsTheParametersIsRefused) {
  auto& group = static_cast<MadaOptions&>(opt_->param_groups()[0].options());
  group.lr(1e-2).weight_decay(201.0);
  EXPECT_NE(expect_unchanged(ErrorKind::InvalidArgument).find("lr x weight_decay = 2.01"), std::string::npos);
  group.weight_decay(200.0);
  ASSERT_NO_THROW(opt_->step());
  for (const auto& p : params_) EXPECT_TRUE(torch::isfinite(p).all().item<bool>());
}

// Under the skip policy a step with a huge gradient is dropped and counted like a NaN one.
TEST_F(BadStep, TheSkipPolicyDropsAHugeGradientStep) {
  params_[0].mutable_grad()[1][1] = 1e25f;
  expect_skipped();
}

// The skip policy skips steps whose gradients are out of range, never a caller's bad lr:
// training would stop silently with every gradient finite.
TEST_F(BadStep, TheSkipPolicyNeverSkipsAnLrOutOfRange) {
  static_cast<MadaOptions&>(opt_->defaults()).non_finite(NonFinitePolicy::Skip);
  opt_->param_groups()[0].options().set_lr(1e30);
  const int64_t skipped = opt_->skipped_steps();
  expect_unchanged(ErrorKind::InvalidArgument);
  EXPECT_EQ(opt_->skipped_steps(), skipped);
}

TEST_F(BadStep, ANegativeGroupLearningRate) {
  opt_->param_groups()[0].options().set_lr(-1.0);
  EXPECT_NE(expect_unchanged(ErrorKind::InvalidArgument).find("lr"), std::string::npos);
}

TEST_F(BadStep, AnUnsupportedParameterDtype) {
  torch::Tensor half = torch::zeros({3}, torch::kHalf);
  half.mutable_grad() = torch::ones({3}, torch::kHalf);
  mada::Mada opt({half}, MadaOptions());
  expect_error([&] { opt.step(); }, ErrorKind::InvalidArgument);
  EXPECT_EQ(opt.step_count(), 0);
}

TEST(NoGradient, AParameterWithoutAGradientKeepsItsMomentsAndDropsItsDerivatives) {
  QuadraticProblem problem({{5, 4}, {4}}, torch::kFloat, 81);
  auto params = problem.initial_params();
  mada::Mada opt(params, MadaOptions::MADA(1e-2));
  for (int64_t t = 1; t <= 3; ++t) {
    problem.set_gradients(params, t);
    opt.step();
  }
  const auto& s = *opt.state_of(params[1]);
  const auto m = s.m.clone(), v = s.v.clone(), p = params[1].clone();
  problem.set_gradients(params, 4);
  params[1].mutable_grad() = torch::Tensor();
  opt.step();
  EXPECT_TRUE(torch::equal(params[1], p));
  EXPECT_TRUE(torch::equal(s.m, m));
  EXPECT_TRUE(torch::equal(s.v, v));
  EXPECT_EQ(s.d.abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(opt.step_count(), 4);
}

// A tensor given twice (in two groups, or twice in one) once made the state of one of its
// slots be freed while in use; now the step refuses it before anything changes.
TEST(BadParams, ATensorGivenTwiceIsRefusedAndNothingChanges) {
  const QuadraticProblem problem({{5, 3}, {7}}, torch::kFloat, 3);
  auto params = problem.initial_params();
  for (bool in_one_group : {false, true}) {
    std::vector<torch::optim::OptimizerParamGroup> groups;
    if (in_one_group) {
      groups.emplace_back(std::vector<torch::Tensor>{params[0], params[1], params[0]});
    } else {
      groups.emplace_back(std::vector<torch::Tensor>{params[0], params[1]});
      groups.emplace_back(std::vector<torch::Tensor>{params[0]});
    }
    mada::Mada opt(std::move(groups), MadaOptions::MADA(1e-2));
    problem.set_gradients(params, 1);
    const auto before = clones(params);
    const std::string what = expect_error([&] { opt.step(); }, ErrorKind::InvalidArgument);
    EXPECT_NE(what.find("twice"), std::string::npos) << what;
    EXPECT_TRUE(all_equal(params, before));
    EXPECT_EQ(opt.step_count(), 0);
    EXPECT_EQ(opt.state_of(params[0]), nullptr);
  }
}

// A group may set lr and weight_decay only; any other option of its own would be ignored by the
// step, so it is refused: at construction, or at the step when set on the group later.
TEST(BadParams, AGroupSettingAStepWideOptionIsRefused) {
  const QuadraticProblem problem({{4}, {3}}, torch::kFloat, 5);
  auto params = problem.initial_params();
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<torch::Tensor>{params[0]},
                      std::make_unique<MadaOptions>(MadaOptions::MADA(1e-2).mode(mada::Mode::Reference)));
  const std::string what = expect_error([&] { mada::Mada opt(std::move(groups), MadaOptions::MADA(1e-2)); },
                                        ErrorKind::InvalidArgument);
  EXPECT_NE(what.find("group 0 sets mode"), std::string::npos) << what;

  mada::Mada opt(params, MadaOptions::MADA(1e-2));
  static_cast<MadaOptions&>(opt.param_groups()[0].options()).lr(3e-2).weight_decay(0.1);  // allowed
  problem.set_gradients(params, 1);
  opt.step();
  static_cast<MadaOptions&>(opt.param_groups()[0].options()).eps(1e-3);
  problem.set_gradients(params, 2);
  const auto before = clones(params);
  const std::string later = expect_error([&] { opt.step(); }, ErrorKind::InvalidArgument);
  EXPECT_NE(later.find("sets eps"), std::string::npos) << later;
  EXPECT_TRUE(all_equal(params, before));
  EXPECT_EQ(opt.step_count(), 1);
}

// A group's lr is checked where it enters too: at construction, against its parameters'
// type (float64 takes what float32 cannot).
TEST(BadParams, AGroupLrOutOfRangeIsRefusedAtConstruction) {
  torch::Tensor p = torch::zeros({3});
  const std::string what = expect_error([&] { mada::Mada opt({p}, MadaOptions::MADA(1e30)); }, ErrorKind::InvalidArgument);
  EXPECT_NE(what.find("parameter group 0: lr = 1e+30 is above"), std::string::npos) << what;
  EXPECT_NE(what.find("float32"), std::string::npos) << what;
  torch::Tensor wide = torch::zeros({3}, torch::kDouble);
  EXPECT_NO_THROW(mada::Mada({wide}, MadaOptions::MADA(1e30)));
}

// A gradient may be exactly its parameter's memory, but must not overlap another parameter,
// nor its own parameter shifted; refused before anything changes, with 1 and 8 threads. The
// exact alias steps as a copy of the gradient does.
TEST(BadParams, AGradientOverlappingAParameterIsRefused) {
  const int saved_threads = at::get_num_threads();
  for (int threads : {1, 8}) {
    at::set_num_threads(threads);
    const QuadraticProblem problem({{40000}, {40000}}, torch::kFloat, 9);
    auto params = problem.initial_params(), copies = problem.initial_params();
    mada::Mada opt(params, MadaOptions::MADA(1e-2)), copy_opt(copies, MadaOptions::MADA(1e-2));
    problem.set_gradients(params, 1);
    opt.step();
    problem.set_gradients(copies, 1);
    copy_opt.step();
    const OptimizerSnapshot before(opt);
    const auto params_before = clones(params);
    params[0].mutable_grad() = params[1];  // crossed
    std::string what = expect_error([&] { opt.step(); }, ErrorKind::InvalidArgument);
    EXPECT_NE(what.find("the gradient of parameter 0 of group 0 overlaps the memory of parameter 1 of group 0"),
              std::string::npos) << what;
    EXPECT_TRUE(OptimizerSnapshot(opt) == before);
    EXPECT_TRUE(all_equal(params, params_before));

    // Parameter 0 inside a larger buffer, its gradient the same buffer one element on.
    torch::Tensor buffer = torch::cat({params[0].detach(), torch::zeros({1})});
    std::vector<torch::Tensor> shifted{buffer.narrow(0, 0, 40000), params[1]};
    mada::Mada shifted_opt(shifted, MadaOptions::MADA(1e-2));
    shifted[0].mutable_grad() = buffer.narrow(0, 1, 40000);
    shifted[1].mutable_grad() = torch::ones({40000});
    what = expect_error([&] { shifted_opt.step(); }, ErrorKind::InvalidArgument);
    EXPECT_NE(what.find("its own parameter, shifted"), std::string::npos) << what;
    EXPECT_EQ(shifted_opt.step_count(), 0);

    for (size_t i = 0; i < params.size(); ++i) {
      params[i].mutable_grad() = params[i];  // exactly its own memory
      copies[i].mutable_grad() = copies[i].detach().clone();
    }
    opt.step();
    copy_opt.step();
    EXPECT_TRUE(all_equal(params, copies)) << threads << " threads";
  }
  at::set_num_threads(saved_threads);
}

// A checkpoint holding an lr no setter takes (here from a float64 optimizer, loaded by one of
// float32), a mode that is neither, or coefficients that would move a fixed point is refused,
// naming it, and changes nothing.
TEST(CheckedLoad, ValuesNoSetterTakesAreRefused) {
  torch::Tensor wide = torch::zeros({3}, torch::kDouble), narrow = torch::zeros({3});
  mada::Mada from_wide({wide}, MadaOptions::MADA(1e30));
  mada::Mada target({narrow}, MadaOptions::MADA(1e-3));
  const std::string huge_lr = mada::save_to_bytes(from_wide);
  std::string what = expect_error([&] { mada::load_from_bytes(target, huge_lr.data(), huge_lr.size()); },
                                  ErrorKind::Checkpoint);
  EXPECT_NE(what.find("parameter group 0: lr = 1e+30 is above"), std::string::npos) << what;
  EXPECT_EQ(target.param_groups()[0].options().get_lr(), 1e-3);

  const std::string good = mada::save_to_bytes(target);
  const std::string bad_mode = mada::testing::with_value(good, "mada_mode", 0, int64_t{7});
  what = expect_error([&] { mada::load_from_bytes(target, bad_mode.data(), bad_mode.size()); }, ErrorKind::Checkpoint);
  EXPECT_NE(what.find("neither paper (0) nor reference (1)"), std::string::npos) << what;

  mada::Mada lion({narrow}, MadaOptions::Lion(1e-4));
  what = expect_error([&] { mada::load_from_bytes(lion, good.data(), good.size()); }, ErrorKind::Checkpoint);
  EXPECT_NE(what.find("gamma = 1 differs from 0, which this optimizer holds fixed"), std::string::npos) << what;
  EXPECT_EQ(lion.coefficients().gamma, 0.0);
}

TEST(CheckedLoad, ALoaderRefusesWhatIsNotAFile) {
  torch::Tensor p = torch::zeros({3});
  mada::Mada opt({p}, MadaOptions::MADA(1e-3));
  const std::string what =
      expect_error([&] { mada::load_checkpoint(opt, "/dev/zero"); }, ErrorKind::Io);
  EXPECT_NE(what.find("'/dev/zero': not a regular file"), std::string::npos) << what;
}

}  // namespace
