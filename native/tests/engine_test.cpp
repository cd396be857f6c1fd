// The kernel core's C ABI (mada_kernels.h): mada_engine on borrowed memory. Checked against the
// shared vector files, against mada::Mada bit for bit, and for resume and refusal.
#include "../testing/vector_check.h"
#include "quadratic_problem.h"
#include "vectors_test_files.h"
#include "kernels/src/c_api/options_c.h"
#include "kernels/src/io/envelope.h"

#include <mada/mada_kernels.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

namespace {

using mada::testing::QuadraticProblem;

std::string last_error() {
  std::string s(mada_last_error(nullptr, 0) + 1, '\0');
  mada_last_error(s.data(), s.size());
  s.resize(s.size() - 1);
  return s;
}

#define ASSERT_OK(call) ASSERT_EQ((call), MADA_OK) << last_error()

struct EngineDeleter {
  void operator()(mada_engine* e) const { mada_engine_destroy(e); }
};
using Engine = std::unique_ptr<mada_engine, EngineDeleter>;

mada_options options_of(const mada::StepOptions& o) { return mada::c_api::to_c(o); }

Engine create(const mada_options& o) {
  mada_engine* e = nullptr;
  EXPECT_EQ(mada_engine_create(&o, &e), MADA_OK) << last_error();
  return Engine(e);
}

mada::Coefficients coefficients(const mada_coefficients& c) { return {c.beta1, c.beta2, c.beta3, c.rho, c.c, c.gamma}; }

// ---- The shared vector files, through the C ABI -------------------------------------------

// Replays a file in T (float or double), one group per tensor; returns every mismatch.
template <typename T>
std::vector<std::string> replay(const mada::testing::VectorFile& file) {
  const mada::testing::VectorCheck check(file, mada::testing::required_tolerances(sizeof(T) == 8));
  Engine engine = create(options_of(file.options.step()));
  std::vector<std::vector<T>> x, g;
  for (const auto& t : file.tensors) {
    x.emplace_back(t.x0.begin(), t.x0.end());
    g.emplace_back(t.x0.size());
    const int64_t numel = static_cast<int64_t>(t.x0.size());
    EXPECT_EQ(mada_engine_add_group(engine.get(), &numel, 1, sizeof(T) == 8 ? MADA_DTYPE_FLOAT64 : MADA_DTYPE_FLOAT32,
                                    file.options.lr(), t.weight_decay),
              MADA_OK);
  }
  std::vector<std::string> problems;
  for (const auto& step : file.steps) {
    std::vector<void*> params;
    std::vector<const void*> grads;
    for (size_t i = 0; i < x.size(); ++i) {
      const auto& t = file.tensors[i];
      const auto& noise = file.noise.at(step.t - 1)[i];
      for (size_t j = 0; j < x[i].size(); ++j) g[i][j] = T(t.a[j]) * (x[i][j] - T(t.b[j])) + T(noise[j]);
      EXPECT_EQ(mada_engine_set_lr(engine.get(), i, step.lr), MADA_OK);
      params.push_back(x[i].data());
      grads.push_back(g[i].data());
    }
    if (mada_engine_step(engine.get(), params.data(), grads.data(), params.size()) != MADA_OK) {
      problems.push_back("step " + std::to_string(step.t) + " failed: " + last_error());
      break;
    }
    mada_coefficients q, h;
    double norm = 0;
    EXPECT_EQ(mada_engine_coefficients(engine.get(), &q), MADA_OK);
    EXPECT_EQ(mada_engine_hypergradient(engine.get(), &h), MADA_OK);
    EXPECT_EQ(mada_engine_grad_norm(engine.get(), &norm), MADA_OK);
    std::vector<std::vector<double>> xd;
    for (const auto& xi : x) xd.emplace_back(xi.begin(), xi.end());
    const std::string problem = check.check(step.t, xd, coefficients(q), coefficients(h), norm);
    if (!problem.empty()) problems.push_back(problem);
  }
  return problems;
}

std::string report(const std::vector<std::string>& problems) {
  std::string r;
  for (size_t i = 0; i < problems.size() && i < 5; ++i) r += "\n  " + problems[i];
  return r;
}

class EngineVectorFile : public ::testing::TestWithParam<std::string> {};

TEST_P(EngineVectorFile, EveryUpdateMatchesTheFileInFloat32) {
  ASSERT_FALSE(mada::testing::is_unlistable(GetParam())) << "cannot list " << GetParam();
  const auto file = mada::testing::read_vector_file(GetParam());
  const auto problems = replay<float>(file);
  EXPECT_TRUE(problems.empty()) << file.name << ": " << problems.size() << " updates differ" << report(problems);
}

TEST_P(EngineVectorFile, EveryUpdateMatchesAPaperFileInFloat64) {
  ASSERT_FALSE(mada::testing::is_unlistable(GetParam())) << "cannot list " << GetParam();
  const auto file = mada::testing::read_vector_file(GetParam());
  if (file.mode != mada::Mode::Paper) GTEST_SKIP() << "reference files hold float32 numbers";
  const auto problems = replay<double>(file);
  EXPECT_TRUE(problems.empty()) << file.name << ": " << problems.size() << " updates differ" << report(problems);
}

INSTANTIATE_TEST_SUITE_P(Files, EngineVectorFile, ::testing::ValuesIn(mada::testing::all_vector_files()),
                         mada::testing::vector_test_name);

// ---- The same bits as mada::Mada ----------------------------------------------------------

class EngineMatchesMada : public ::testing::TestWithParam<std::tuple<mada::Mode, bool>> {};

TEST_P(EngineMatchesMada, BitForBitOverTwoGroups) {
  const auto [mode, is_double] = GetParam();
  const torch::Dtype dtype = is_double ? torch::kDouble : torch::kFloat;
  const QuadraticProblem problem({{37, 5}, {300}, {17}, {70000}}, dtype, 7);
  const auto options = mada::MadaOptions::MADA(2e-2).mode(mode).grad_clip(3.0);

  std::vector<torch::Tensor> mine = problem.initial_params(), theirs = problem.initial_params();
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<torch::Tensor>{theirs[0], theirs[1]},
                      std::make_unique<mada::MadaOptions>(mada::MadaOptions(options).weight_decay(0.1)));
  groups.emplace_back(std::vector<torch::Tensor>{theirs[2], theirs[3]},
                      std::make_unique<mada::MadaOptions>(mada::MadaOptions(options).lr(5e-3)));
  mada::Mada reference(std::move(groups), options);

  Engine engine = create(options_of(options.step()));
  const mada_dtype dt = is_double ? MADA_DTYPE_FLOAT64 : MADA_DTYPE_FLOAT32;
  const int64_t first[] = {185, 300}, second[] = {17, 70000};
  ASSERT_OK(mada_engine_add_group(engine.get(), first, 2, dt, 2e-2, 0.1));
  ASSERT_OK(mada_engine_add_group(engine.get(), second, 2, dt, 5e-3, 0.0));

  for (int64_t t = 1; t <= 25; ++t) {
    problem.set_gradients(theirs, t);
    problem.set_gradients(mine, t);
    if (t == 6) {  // a step where one parameter has no gradient
      theirs[1].mutable_grad() = torch::Tensor();
      mine[1].mutable_grad() = torch::Tensor();
    }
    reference.step();
    std::vector<void*> params;
    std::vector<const void*> grads;
    for (auto& p : mine) {
      params.push_back(p.data_ptr());
      grads.push_back(p.grad().defined() ? p.grad().data_ptr() : nullptr);
    }
    ASSERT_OK(mada_engine_step(engine.get(), params.data(), grads.data(), params.size()));
  }
  for (size_t i = 0; i < mine.size(); ++i) EXPECT_TRUE(torch::equal(mine[i], theirs[i])) << "parameter " << i;
  mada_coefficients q, h;
  ASSERT_OK(mada_engine_coefficients(engine.get(), &q));
  ASSERT_OK(mada_engine_hypergradient(engine.get(), &h));
  EXPECT_EQ(coefficients(q), reference.coefficients());
  EXPECT_EQ(coefficients(h), reference.hypergradient());
  EXPECT_NE(reference.coefficients(), mada::MadaOptions::MADA().q0());  // the coefficients moved
}

INSTANTIATE_TEST_SUITE_P(Modes, EngineMatchesMada,
                         ::testing::Combine(::testing::Values(mada::Mode::Paper, mada::Mode::Reference),
                                            ::testing::Bool()));

// ---- Saving, loading, refusing ------------------------------------------------------------

// A small float32 problem on plain vectors, driven through the engine.
struct EngineRun {
  Engine engine;
  std::vector<std::vector<float>> x;
  std::vector<std::vector<float>> g;
  int64_t t = 0;

  explicit EngineRun(mada_mode mode = MADA_MODE_PAPER, mada_non_finite_policy policy = MADA_NON_FINITE_ERROR) {
    mada_options o{};
    EXPECT_EQ(mada_options_preset(MADA_PRESET_MADA, &o), MADA_OK);
    o.lr = 1e-2;
    o.mode = mode;
    o.non_finite = policy;
    engine = create(o);
    x = {std::vector<float>(50), std::vector<float>(7)};
    g = x;
    for (size_t i = 0; i < x.size(); ++i)
      for (size_t j = 0; j < x[i].size(); ++j) x[i][j] = std::sin(float(3 * j + i + 1));
    const int64_t numels[] = {50, 7};
    EXPECT_EQ(mada_engine_add_group(engine.get(), numels, 2, MADA_DTYPE_FLOAT32, 1e-2, 0.01), MADA_OK);
  }

  mada_status step() {
    ++t;
    for (size_t i = 0; i < x.size(); ++i)
      for (size_t j = 0; j < x[i].size(); ++j) g[i][j] = x[i][j] * (1.0f + 0.1f * float(j % 3)) + 0.2f * std::cos(float(t * (j + 1)));
    void* params[] = {x[0].data(), x[1].data()};
    const void* grads[] = {g[0].data(), g[1].data()};
    return mada_engine_step(engine.get(), params, grads, 2);
  }

  std::string saved() const {
    size_t size = 0;
    EXPECT_EQ(mada_engine_save_buffer(engine.get(), nullptr, 0, &size), MADA_OK);
    std::string bytes(size, '\0');
    EXPECT_EQ(mada_engine_save_buffer(engine.get(), reinterpret_cast<uint8_t*>(bytes.data()), size, &size), MADA_OK);
    return bytes;
  }
};

// A fresh engine over float32 parameters of these sizes, with options o.
Engine engine_of(mada_options o, std::initializer_list<int64_t> numels, double lr = 1e-2, double wd = 0.0) {
  Engine e = create(o);
  const std::vector<int64_t> n(numels);
  EXPECT_EQ(mada_engine_add_group(e.get(), n.data(), n.size(), MADA_DTYPE_FLOAT32, lr, wd), MADA_OK) << last_error();
  return e;
}

mada_options preset(mada_preset p) {
  mada_options o{};
  EXPECT_EQ(mada_options_preset(p, &o), MADA_OK);
  return o;
}

std::string saved_state(const mada_engine* e) {
  size_t size = 0;
  EXPECT_EQ(mada_engine_save_buffer(e, nullptr, 0, &size), MADA_OK);
  std::string bytes(size, '\0');
  EXPECT_EQ(mada_engine_save_buffer(e, reinterpret_cast<uint8_t*>(bytes.data()), size, &size), MADA_OK);
  return bytes;
}

mada_status load_state(mada_engine* e, const std::string& bytes) {
  return mada_engine_load_buffer(e, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

TEST(EngineState, ResumesBitExactlyFromBytesAndFromAFile) {
  for (mada_mode mode : {MADA_MODE_PAPER, MADA_MODE_REFERENCE}) {
    EngineRun straight(mode), first(mode);
    for (int i = 0; i < 12; ++i) {
      ASSERT_OK(straight.step());
      ASSERT_OK(first.step());
    }
    const std::string bytes = first.saved();
    const std::string path = ::testing::TempDir() + "/engine_state.bin";
    ASSERT_OK(mada_engine_save(first.engine.get(), path.c_str()));

    EngineRun from_bytes(mode), from_file(mode);
    from_bytes.x = from_file.x = first.x;
    from_bytes.t = from_file.t = first.t;
    ASSERT_OK(mada_engine_load_buffer(from_bytes.engine.get(), reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    ASSERT_OK(mada_engine_load(from_file.engine.get(), path.c_str()));
    for (int i = 0; i < 12; ++i) {
      ASSERT_OK(straight.step());
      ASSERT_OK(from_bytes.step());
      ASSERT_OK(from_file.step());
    }
    EXPECT_EQ(from_bytes.x, straight.x);
    EXPECT_EQ(from_file.x, straight.x);
    EXPECT_EQ(from_bytes.saved(), straight.saved());
    int64_t steps = 0;
    ASSERT_OK(mada_engine_step_count(from_file.engine.get(), &steps));
    EXPECT_EQ(steps, 24);
  }
}

TEST(EngineState, ABadStateIsRefusedAndChangesNothing) {
  EngineRun run;
  for (int i = 0; i < 3; ++i) ASSERT_OK(run.step());
  const std::string good = run.saved();
  EngineRun other;
  ASSERT_OK(other.step());
  const std::string before = other.saved();
  auto load = [&](const std::string& bytes) {
    return mada_engine_load_buffer(other.engine.get(), reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  };
  for (size_t at = 0; at < good.size(); at += 13) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x5A);
    EXPECT_EQ(load(bad), MADA_ERROR_CHECKPOINT) << "byte " << at;
  }
  EXPECT_EQ(load(good.substr(0, good.size() - 1)), MADA_ERROR_CHECKPOINT);
  EXPECT_EQ(load(good + "x"), MADA_ERROR_CHECKPOINT);
  EngineRun reference(MADA_MODE_REFERENCE);
  EXPECT_EQ(mada_engine_load_buffer(reference.engine.get(), reinterpret_cast<const uint8_t*>(good.data()), good.size()),
            MADA_ERROR_CHECKPOINT);
  EXPECT_NE(last_error().find("mode"), std::string::npos) << last_error();
  EXPECT_EQ(other.saved(), before);
  EXPECT_EQ(mada_engine_load(other.engine.get(), ::testing::TempDir().c_str()), MADA_ERROR_IO);
  EXPECT_EQ(mada_engine_load(other.engine.get(), "/nonexistent/engine.bin"), MADA_ERROR_IO);
  EXPECT_NE(last_error().find("/nonexistent/engine.bin"), std::string::npos) << last_error();
  EXPECT_EQ(other.saved(), before);
}

// Values no update can produce, in a state file whose envelope is valid (a buggy or hostile
// writer), are refused by name and change nothing. Offsets from engine_state_io.cpp's layout:
// a 132-byte header (q at 28), one group (28 bytes after its count), then parameter 0's state
// rows m, v, ... of 50 floats each.
TEST(EngineState, ImpossibleValuesUnderAValidEnvelopeAreRefused) {
  EngineRun run;
  for (int i = 0; i < 3; ++i) ASSERT_OK(run.step());
  const std::string good = run.saved();
  const auto payload = mada::kernels::unseal("MADAENG1", good.data(), good.size());
  const std::string state(payload.data, payload.size);
  constexpr size_t kQ = 28, kParam0State = 132 + 8 + 28 + 8 + 17, kRow = 50 * sizeof(float);
  EngineRun other;
  ASSERT_OK(other.step());
  const std::string before = other.saved();
  auto refused = [&](size_t offset, auto value, const char* says) {
    std::string bad = state;
    std::memcpy(&bad[offset], &value, sizeof value);
    const std::string bytes = mada::kernels::seal("MADAENG1", bad);
    EXPECT_EQ(mada_engine_load_buffer(other.engine.get(), reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
              MADA_ERROR_CHECKPOINT) << says;
    EXPECT_NE(last_error().find(says), std::string::npos) << last_error();
  };
  refused(kParam0State + 4 * sizeof(float), std::nanf(""), "saved state m");
  refused(kParam0State + 9 * sizeof(float), 3e38f, "saved state m");  // finite: the next step would store -Inf
  refused(kParam0State + kRow + 3 * sizeof(float), -1.0f, "saved state v");
  refused(kParam0State + 5 * kRow + 7 * sizeof(float), INFINITY, "saved state d");
  refused(kQ + 8, std::nan(""), "coefficient");
  refused(kQ + 5 * 8, -2.0, "gamma = -2 is outside its bounds");
  // Values no setter takes: an lr the step would refuse, in the group or as the previous lr,
  // and a mode field that is neither mode; so are non-zero reserved bytes in the envelope.
  constexpr size_t kMode = 4, kGroupLr = 132 + 8 + 4, kPrevLr = kGroupLr + 16;
  refused(kGroupLr, 1e30, "group 0: lr = 1e+30 is above");
  refused(kGroupLr + 8, 300.0, "lr x weight_decay = 3 is above 2");
  refused(kPrevLr, 1e30, "group 0: lr = 1e+30 is above");
  refused(kMode, uint32_t{7}, "mode field holds 7, neither paper (0) nor reference (1)");
  std::string reserved = good;
  reserved[20] = 1;  // magic 8, length 8, CRC 4, then the reserved 4
  EXPECT_EQ(load_state(other.engine.get(), reserved), MADA_ERROR_CHECKPOINT);
  EXPECT_NE(last_error().find("reserved"), std::string::npos) << last_error();
  EXPECT_EQ(other.saved(), before);
  // The unchanged payload, resealed the same way, loads: the offsets above hit what they name.
  const std::string resealed = mada::kernels::seal("MADAENG1", state);
  EXPECT_EQ(mada_engine_load_buffer(other.engine.get(), reinterpret_cast<const uint8_t*>(resealed.data()), resealed.size()),
            MADA_OK) << last_error();
}

TEST(EngineInput, BadInputIsRefusedAndChangesNothing) {
  EngineRun run;
  ASSERT_OK(run.step());
  const std::string before = run.saved();
  const auto x_before = run.x;
  void* params[] = {run.x[0].data(), run.x[1].data()};
  const void* grads[] = {run.g[0].data(), run.g[1].data()};
  EXPECT_EQ(mada_engine_step(run.engine.get(), params, grads, 1), MADA_ERROR_INVALID_ARGUMENT);
  void* twice[] = {run.x[0].data(), run.x[0].data()};
  EXPECT_EQ(mada_engine_step(run.engine.get(), twice, grads, 2), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("twice"), std::string::npos) << last_error();
  void* null_param[] = {nullptr, run.x[1].data()};
  EXPECT_EQ(mada_engine_step(run.engine.get(), null_param, grads, 2), MADA_ERROR_INVALID_ARGUMENT);
  std::vector<float> nan_grad(run.g[1]);
  nan_grad[3] = std::numeric_limits<float>::quiet_NaN();
  const void* bad_grads[] = {run.g[0].data(), nan_grad.data()};
  EXPECT_EQ(mada_engine_step(run.engine.get(), params, bad_grads, 2), MADA_ERROR_NON_FINITE);
  EXPECT_EQ(mada_engine_set_lr(run.engine.get(), 0, -1.0), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(mada_engine_set_lr(run.engine.get(), 5, 1.0), MADA_ERROR_INVALID_ARGUMENT);
  const int64_t bad_numel = 0;
  EXPECT_EQ(mada_engine_add_group(run.engine.get(), &bad_numel, 1, MADA_DTYPE_FLOAT32, 1e-3, 0), MADA_ERROR_INVALID_ARGUMENT);
  const int64_t numel = 4;
  EXPECT_EQ(mada_engine_add_group(run.engine.get(), &numel, 1, static_cast<mada_dtype>(9), 1e-3, 0), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(run.x, x_before);
  EXPECT_EQ(run.saved(), before);
  size_t count = 0;
  ASSERT_OK(mada_engine_parameter_count(run.engine.get(), &count));
  EXPECT_EQ(count, 2u);
  EXPECT_EQ(mada_engine_step(nullptr, params, grads, 2), MADA_ERROR_INVALID_ARGUMENT);
  mada_options bad{};
  ASSERT_OK(mada_options_preset(MADA_PRESET_ADAM, &bad));
  bad.eps = -1;
  mada_engine* e = nullptr;
  EXPECT_EQ(mada_engine_create(&bad, &e), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(e, nullptr);
  EXPECT_NE(last_error().find("eps"), std::string::npos) << last_error();
}

TEST(EngineInput, TheSkipPolicyCountsAndChangesNothingElse) {
  EngineRun run(MADA_MODE_PAPER, MADA_NON_FINITE_SKIP);
  ASSERT_OK(run.step());
  const auto x_before = run.x;
  std::vector<float> inf_grad(run.g[0]);
  inf_grad[0] = std::numeric_limits<float>::infinity();
  void* params[] = {run.x[0].data(), run.x[1].data()};
  const void* grads[] = {inf_grad.data(), run.g[1].data()};
  ASSERT_OK(mada_engine_step(run.engine.get(), params, grads, 2));
  int64_t skipped = 0, steps = 0;
  ASSERT_OK(mada_engine_skipped_steps(run.engine.get(), &skipped));
  ASSERT_OK(mada_engine_step_count(run.engine.get(), &steps));
  EXPECT_EQ(skipped, 1);
  EXPECT_EQ(steps, 1);
  EXPECT_EQ(run.x, x_before);
}

// ---- Boundaries: what a hostile caller tried -----------------------------------------------

// Under the compact state the six bfloat16 rows of an odd element count end in padding that
// nothing wrote, so two engines with one history saved different bytes (valgrind saw the CRC
// read uninitialised memory). Freed blocks of the states' sizes are dirtied first, so that the
// second engine's state lands on used memory.
TEST(EngineState, TheSameHistorySavesTheSameBytes) {
  auto history = [] {
    mada_options o = preset(MADA_PRESET_MADA);
    o.compact_state = 1;
    Engine e = engine_of(o, {1, 3, 5, 7, 1001});
    std::vector<std::vector<float>> x, g;
    for (int64_t n : {1, 3, 5, 7, 1001}) x.emplace_back(n, 0.5f), g.emplace_back(n, 0.0f);
    for (int t = 1; t <= 3; ++t) {
      std::vector<void*> params;
      std::vector<const void*> grads;
      for (size_t i = 0; i < x.size(); ++i) {
        for (size_t j = 0; j < x[i].size(); ++j) g[i][j] = x[i][j] + 0.1f * std::sin(float(t * 7 + j + i));
        params.push_back(x[i].data());
        grads.push_back(g[i].data());
      }
      EXPECT_EQ(mada_engine_step(e.get(), params.data(), grads.data(), params.size()), MADA_OK) << last_error();
    }
    return saved_state(e.get());
  };
  const std::string first = history();
  for (size_t bytes : {64, 128, 192, 256, 320, 36096, 36160}) {
    std::vector<void*> blocks;
    for (int k = 0; k < 8; ++k) {
      blocks.push_back(std::aligned_alloc(64, bytes));
      std::memset(blocks.back(), 0xA5, bytes);
    }
    for (void* b : blocks) std::free(b);
  }
  EXPECT_TRUE(first == history()) << "two engines with the same history saved different bytes";
}

// lr and weight decay are checked where they enter (a group added, a setter), against the
// limits the step would otherwise refuse them with, and the message names value and limit.
TEST(EngineInput, LimitsAreCheckedWhereValuesEnter) {
  EngineRun run;  // one float32 group, lr 1e-2, weight decay 0.01
  ASSERT_OK(run.step());
  const std::string before = run.saved();
  EXPECT_EQ(mada_engine_set_lr(run.engine.get(), 0, 1e30), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("lr = 1e+30 is above"), std::string::npos) << last_error();
  EXPECT_EQ(mada_engine_set_weight_decay(run.engine.get(), 0, 300.0), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("lr x weight_decay = 3 is above 2"), std::string::npos) << last_error();
  const int64_t n = 4;
  EXPECT_EQ(mada_engine_add_group(run.engine.get(), &n, 1, MADA_DTYPE_FLOAT32, 1e30, 0.0), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(mada_engine_add_group(run.engine.get(), &n, 1, MADA_DTYPE_FLOAT32, 1.0, 2.5), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("lr x weight_decay = 2.5"), std::string::npos) << last_error();
  double lr = 0;
  ASSERT_OK(mada_engine_lr(run.engine.get(), 0, &lr));
  EXPECT_EQ(lr, 1e-2);
  EXPECT_EQ(run.saved(), before);
  ASSERT_OK(run.step());
  // The limit is the parameters' type's: a float64 group takes what float32 cannot.
  Engine wide = create(preset(MADA_PRESET_ADAM));
  EXPECT_EQ(mada_engine_add_group(wide.get(), &n, 1, MADA_DTYPE_FLOAT64, 1e30, 0.0), MADA_OK) << last_error();
}

// The CPU kernel variant, copied as mada_last_error copies: the length always, the name
// truncated to the buffer, NUL-terminated.
TEST(EngineInput, TheCpuKernelIsReportedByName) {
  size_t length = 0;
  ASSERT_OK(mada_cpu_kernel(nullptr, 0, &length));
  std::string name(length + 1, '\0');
  ASSERT_OK(mada_cpu_kernel(name.data(), name.size(), &length));
  name.resize(length);
  EXPECT_TRUE(name == "baseline" || name == "avx2" || name == "avx512") << name;
  char two[2] = {'x', 'x'};
  ASSERT_OK(mada_cpu_kernel(two, sizeof two, &length));
  EXPECT_EQ(two[0], name[0]);
  EXPECT_EQ(two[1], '\0');
  EXPECT_EQ(mada_cpu_kernel(nullptr, 0, nullptr), MADA_ERROR_INVALID_ARGUMENT);
}

// As mada::Mada and torch's optimizers refuse one: a group without parameters is a mistake.
TEST(EngineInput, AGroupWithoutParametersIsRefused) {
  Engine e = create(preset(MADA_PRESET_MADA));
  EXPECT_EQ(mada_engine_add_group(e.get(), nullptr, 0, MADA_DTYPE_FLOAT32, 1e-3, 0.0), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("at least one parameter"), std::string::npos) << last_error();
  size_t groups = 7;
  ASSERT_OK(mada_engine_group_count(e.get(), &groups));
  EXPECT_EQ(groups, 0u);
}

// A state too large for the memory is out of memory (a valid request), not an internal error,
// and adds nothing.
TEST(EngineInput, StateTooLargeForTheMemoryIsOutOfMemory) {
  Engine e = create(preset(MADA_PRESET_MADA));
  const int64_t numel = int64_t{1} << 40;  // 48 TB of state
  EXPECT_EQ(mada_engine_add_group(e.get(), &numel, 1, MADA_DTYPE_FLOAT32, 1e-3, 0.0), MADA_ERROR_OUT_OF_MEMORY);
  EXPECT_NE(last_error().find("out of memory"), std::string::npos) << last_error();
  size_t count = 7;
  ASSERT_OK(mada_engine_parameter_count(e.get(), &count));
  EXPECT_EQ(count, 0u);
}

// A gradient may be exactly its parameter's buffer, but not overlap another parameter, nor its
// own shifted: the update would read values it already wrote (with threads, blocks race at
// their edges). Refused before anything changes, with 1 and 8 threads; the exact alias steps
// as a copy of the gradient does.
TEST(EngineInput, AGradientOverlappingAParameterIsRefused) {
  for (int threads : {1, 8}) {
    EngineRun run;
    ASSERT_OK(mada_engine_set_threads(run.engine.get(), threads));
    ASSERT_OK(run.step());
    const std::string before = run.saved();
    const auto x_before = run.x;
    void* params[] = {run.x[0].data(), run.x[1].data()};
    const void* crossed[] = {run.g[0].data(), run.x[0].data() + 20};  // parameter 1's gradient inside parameter 0
    EXPECT_EQ(mada_engine_step(run.engine.get(), params, crossed, 2), MADA_ERROR_INVALID_ARGUMENT);
    EXPECT_NE(last_error().find("the gradient of parameter 1 overlaps the memory of parameter 0"), std::string::npos)
        << last_error();
    std::vector<float> shifted(51);
    std::copy(run.x[0].begin(), run.x[0].end(), shifted.begin());
    void* own[] = {shifted.data(), run.x[1].data()};
    const void* own_shifted[] = {shifted.data() + 1, run.g[1].data()};
    EXPECT_EQ(mada_engine_step(run.engine.get(), own, own_shifted, 2), MADA_ERROR_INVALID_ARGUMENT);
    EXPECT_NE(last_error().find("its own parameter, shifted"), std::string::npos) << last_error();
    EXPECT_EQ(run.saved(), before);
    EXPECT_EQ(run.x, x_before);

    // The gradient is the parameter itself, and the same step on a copy of it.
    EngineRun copy;
    ASSERT_OK(mada_engine_set_threads(copy.engine.get(), threads));
    ASSERT_OK(copy.step());
    const std::vector<std::vector<float>> grads_copy = copy.x;
    void* copy_params[] = {copy.x[0].data(), copy.x[1].data()};
    const void* copy_grads[] = {grads_copy[0].data(), grads_copy[1].data()};
    ASSERT_OK(mada_engine_step(copy.engine.get(), copy_params, copy_grads, 2));
    const void* aliased[] = {run.x[0].data(), run.x[1].data()};
    ASSERT_OK(mada_engine_step(run.engine.get(), params, aliased, 2));
    EXPECT_EQ(run.x, copy.x) << threads << " threads";
    EXPECT_EQ(run.saved(), copy.saved());
  }
}

// The running mean of the second moment, (v + (t-1) vbar) / t, overflowed in (t-1) vbar for a
// vbar within the bounds a loaded state may hold once t grew, and stored Inf (found by the
// engine-state fuzzer). Now computed as a convex combination: the step stays finite.
TEST(EngineState, ALargeSecondMomentAtALateStepStaysFinite) {
  EngineRun run;
  for (int i = 0; i < 3; ++i) ASSERT_OK(run.step());
  const std::string good = run.saved();
  const auto payload = mada::kernels::unseal("MADAENG1", good.data(), good.size());
  std::string state(payload.data, payload.size);
  constexpr size_t kT = 12, kParam0Vbar = 132 + 8 + 28 + 8 + 17 + 2 * 50 * sizeof(float);
  const int64_t late = int64_t{1} << 42;
  std::memcpy(&state[kT], &late, sizeof late);
  for (size_t j = 0; j < 50; ++j) {
    const float vbar = 9e37f;  // below the 18 x limit^2 = 9.6e37 a loaded float32 vbar may hold
    std::memcpy(&state[kParam0Vbar + j * sizeof(float)], &vbar, sizeof vbar);
  }
  ASSERT_OK(load_state(run.engine.get(), mada::kernels::seal("MADAENG1", state)));
  ASSERT_OK(run.step());
  for (const auto& x : run.x)
    for (float v : x) ASSERT_TRUE(std::isfinite(v));
  EngineRun twin;  // what the step stored is finite: a fresh engine loads it
  EXPECT_EQ(load_state(twin.engine.get(), run.saved()), MADA_OK) << last_error();
}

// Loaders read regular files of a size valid content can have: /dev/zero was read until memory
// ran out, a pipe would block. Each is an Io error naming the path, and changes nothing.
TEST(EngineState, ALoaderRefusesWhatIsNotAFileOfAValidSize) {
  EngineRun run;
  ASSERT_OK(run.step());
  const std::string before = run.saved();
  EXPECT_EQ(mada_engine_load(run.engine.get(), "/dev/zero"), MADA_ERROR_IO);
  EXPECT_NE(last_error().find("'/dev/zero': not a regular file"), std::string::npos) << last_error();
  const std::string fifo = ::testing::TempDir() + "/engine_state_fifo." + std::to_string(::getpid());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(mada_engine_load(run.engine.get(), fifo.c_str()), MADA_ERROR_IO);
  EXPECT_NE(last_error().find(fifo), std::string::npos) << last_error();
  std::remove(fifo.c_str());
  const std::string large = ::testing::TempDir() + "/engine_state_large." + std::to_string(::getpid());
  { std::ofstream(large, std::ios::binary) << before; }
  ASSERT_EQ(::truncate(large.c_str(), 1 << 20), 0);
  EXPECT_EQ(mada_engine_load(run.engine.get(), large.c_str()), MADA_ERROR_IO);
  EXPECT_NE(last_error().find("holds 1048576 bytes"), std::string::npos) << last_error();
  std::remove(large.c_str());
  EXPECT_EQ(run.saved(), before);
}

// A save through a symbolic link replaces the file the link points to and keeps the link (a
// relative target is relative to the link's folder; a dangling link's target is created).
TEST(EngineState, ASaveThroughASymbolicLinkReplacesItsTargetAndKeepsTheLink) {
  EngineRun run;
  ASSERT_OK(run.step());
  const std::string dir = ::testing::TempDir() + "/engine_links." + std::to_string(::getpid());
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  const std::string link = dir + "/link.bin", dangling = dir + "/dangling.bin";
  { std::ofstream(dir + "/real.bin") << "old"; }
  ASSERT_EQ(::symlink("real.bin", link.c_str()), 0);
  ASSERT_EQ(::symlink("missing.bin", dangling.c_str()), 0);
  ASSERT_OK(mada_engine_save(run.engine.get(), link.c_str()));
  ASSERT_OK(mada_engine_save(run.engine.get(), dangling.c_str()));
  struct stat st {};
  for (const std::string& l : {link, dangling}) {
    ASSERT_EQ(::lstat(l.c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode)) << l << " is no longer a link";
  }
  for (const char* target : {"/real.bin", "/missing.bin"}) {
    std::ifstream in(dir + target, std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), run.saved()) << target;
  }
  for (const char* f : {"/link.bin", "/dangling.bin", "/real.bin", "/missing.bin", ""}) std::remove((dir + f).c_str());
}

// A state never moves a coefficient the loading engine does not learn: a MADA state loaded
// into a Lion engine changed its gamma from 0. Refused naming it; Lion's own state loads.
TEST(EngineState, AStateNeverMovesACoefficientTheEngineHoldsFixed) {
  EngineRun fresh_mada, mada_run;  // MADA starts at Adam's point: only gamma differs from Lion's
  for (int i = 0; i < 3; ++i) ASSERT_OK(mada_run.step());
  Engine lion = engine_of(preset(MADA_PRESET_LION), {50, 7}, 1e-4, 0.0);
  const std::string lion_before = saved_state(lion.get());
  EXPECT_EQ(load_state(lion.get(), fresh_mada.saved()), MADA_ERROR_CHECKPOINT);
  EXPECT_NE(last_error().find("gamma = 1 differs from 0, which this optimizer holds fixed"), std::string::npos)
      << last_error();
  EXPECT_EQ(load_state(lion.get(), mada_run.saved()), MADA_ERROR_CHECKPOINT);
  EXPECT_NE(last_error().find("holds fixed"), std::string::npos) << last_error();
  EXPECT_EQ(saved_state(lion.get()), lion_before);
  Engine other_lion = engine_of(preset(MADA_PRESET_LION), {50, 7}, 1e-4, 0.0);
  EXPECT_EQ(load_state(other_lion.get(), lion_before), MADA_OK) << last_error();
}

}  // namespace
