// Save, load into a fresh optimizer, continue: bit-identical to never having stopped. A bad
// checkpoint is refused with a clear error and changes nothing.
#include "damaged_checkpoint.h"
#include "quadratic_problem.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

namespace {

using mada::ErrorKind;
using mada::MadaOptions;
using mada::Mode;
using mada::testing::all_equal;
using mada::testing::clones;
using mada::testing::with_value;
using mada::testing::OptimizerSnapshot;
using mada::testing::QuadraticProblem;

const std::vector<std::vector<int64_t>> kShapes{{23, 9}, {9}, {4, 5}};

std::vector<torch::optim::OptimizerParamGroup> two_groups(const std::vector<torch::Tensor>& p) {
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<torch::Tensor>{p[0], p[2]},
                      std::make_unique<MadaOptions>(MadaOptions(0.02).weight_decay(0.1)));
  groups.emplace_back(std::vector<torch::Tensor>{p[1]}, std::make_unique<MadaOptions>(0.01));
  return groups;
}

void run(const QuadraticProblem& problem, mada::Mada& opt, std::vector<torch::Tensor>& params,
         int64_t from, int64_t to) {
  for (int64_t t = from; t <= to; ++t) {
    // A schedule: each group's lr changes every step.
    for (size_t g = 0; g < opt.param_groups().size(); ++g)
      opt.param_groups()[g].options().set_lr(0.01 + 0.001 * static_cast<double>((t + g) % 7));
    problem.set_gradients(params, t);
    opt.step();
  }
}

// Where the state goes between the two optimizers: libmada's checkpoint file, its byte buffer,
// or libtorch's archive (torch::save / torch::load, the torch::optim::Optimizer interface).
enum class Through { File, Bytes, TorchSave };

class CheckpointResume : public ::testing::TestWithParam<std::tuple<Mode, Through, bool>> {};

TEST_P(CheckpointResume, IsBitIdenticalToAnUninterruptedRun) {
  const auto [mode, through, compact] = GetParam();
  const auto options = MadaOptions::MADA(0.02).mode(mode).grad_clip(3.0).compact_state(compact);
  QuadraticProblem problem(kShapes, torch::kFloat, 51);

  auto straight = problem.initial_params();
  mada::Mada uninterrupted(two_groups(straight), options);
  run(problem, uninterrupted, straight, 1, 25);

  auto first = problem.initial_params();
  mada::Mada before(two_groups(first), options);
  run(problem, before, first, 1, 10);
  auto resumed_params = clones(first);
  mada::Mada resumed(two_groups(resumed_params), options);
  // ctest runs the cases side by side, each in a process of its own: a file name per process.
  const std::string name = "mada_resume-" + std::to_string(getpid()) + ".pt";
  if (through == Through::File) {
    const std::string path = ::testing::TempDir() + "/" + name;
    mada::save_checkpoint(before, path);
    mada::load_checkpoint(resumed, path);
    for (const auto& entry : std::filesystem::directory_iterator(::testing::TempDir()))
      EXPECT_EQ(entry.path().string().find(name + ".tmp"), std::string::npos) << "temp file left";
  } else if (through == Through::Bytes) {
    const std::string bytes = mada::save_to_bytes(before);
    mada::load_from_bytes(resumed, bytes.data(), bytes.size());
  } else {
    const std::string path = ::testing::TempDir() + "/torch-save-" + name;
    torch::save(before, path);
    torch::load(resumed, path);
  }
  EXPECT_EQ(resumed.step_count(), 10);
  run(problem, resumed, resumed_params, 11, 25);

  EXPECT_TRUE(all_equal(resumed_params, straight));
  EXPECT_EQ(resumed.coefficients(), uninterrupted.coefficients());
  EXPECT_EQ(resumed.hypergradient(), uninterrupted.hypergradient());
  EXPECT_EQ(resumed.step_count(), uninterrupted.step_count());
  EXPECT_TRUE(OptimizerSnapshot(resumed) == OptimizerSnapshot(uninterrupted));
}

INSTANTIATE_TEST_SUITE_P(Modes, CheckpointResume,
                         ::testing::Combine(::testing::Values(Mode::Paper, Mode::Reference),
                                            ::testing::Values(Through::File, Through::Bytes, Through::TorchSave),
                                            ::testing::Bool()));  // compact_state

class BadCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    params_ = problem_.initial_params();
    opt_ = std::make_unique<mada::Mada>(two_groups(params_), MadaOptions::MADA(0.02));
    run(problem_, *opt_, params_, 1, 3);
    good_ = mada::save_to_bytes(*opt_);
  }

  // Loading must throw an error of `kind` and leave the optimizer as it was.
  void expect_refused(const std::function<void(mada::Mada&)>& load, ErrorKind kind) {
    const OptimizerSnapshot before(*opt_);
    try {
      load(*opt_);
      ADD_FAILURE() << "the bad checkpoint was accepted";
    } catch (const mada::Error& e) {
      EXPECT_EQ(e.kind(), kind) << e.what();
      EXPECT_GT(std::string(e.what()).size(), 10u);
    }
    EXPECT_TRUE(OptimizerSnapshot(*opt_) == before);
  }

  QuadraticProblem problem_{kShapes, torch::kFloat, 52};
  std::vector<torch::Tensor> params_;
  std::unique_ptr<mada::Mada> opt_;
  std::string good_;
};

TEST_F(BadCheckpoint, CorruptBytesAreRefused) {
  std::string corrupt = good_;
  for (size_t i = corrupt.size() / 3; i < corrupt.size() / 3 + 64; ++i) corrupt[i] ^= 0x5A;
  expect_refused([&](mada::Mada& o) { mada::load_from_bytes(o, corrupt.data(), corrupt.size()); },
                 ErrorKind::Checkpoint);
  const std::string truncated = good_.substr(0, good_.size() / 2);
  expect_refused([&](mada::Mada& o) { mada::load_from_bytes(o, truncated.data(), truncated.size()); },
                 ErrorKind::Checkpoint);
  // Any single flipped byte, wherever it falls (header, pickle, tensor data), is refused.
  for (size_t i = 0; i < good_.size(); i += 37) {
    std::string flipped = good_;
    flipped[i] ^= 0x01;
    expect_refused([&](mada::Mada& o) { mada::load_from_bytes(o, flipped.data(), flipped.size()); },
                   ErrorKind::Checkpoint);
  }
  const std::string appended = good_ + "x";
  expect_refused([&](mada::Mada& o) { mada::load_from_bytes(o, appended.data(), appended.size()); },
                 ErrorKind::Checkpoint);
  const std::string noise(1000, 'x');
  expect_refused([&](mada::Mada& o) { mada::load_from_bytes(o, noise.data(), noise.size()); },
                 ErrorKind::Checkpoint);
}

// Bytes flipped inside the records under a valid envelope (the CRC recomputed, as a hostile or
// buggy writer would make them): each load either
// succeeds with nothing non-finite in the optimizer, or is refused as a Checkpoint error and
// changes nothing; never INTERNAL with parser text, never a crash.
TEST_F(BadCheckpoint, BytesFlippedUnderAValidEnvelopeAreRefusedOrLoadFinite) {
  const mada::kernels::Payload payload = mada::kernels::unseal(mada::detail::kCheckpointMagic, good_.data(), good_.size());
  const std::string archive(payload.data, payload.size);
  const size_t stride = std::max<size_t>(1, archive.size() / 450);
  int refused = 0, loaded = 0;
  for (size_t i = 0; i < archive.size(); i += stride) {
    std::string flipped = archive;
    flipped[i] ^= static_cast<char>(1 << (i % 8));
    const std::string bytes = mada::kernels::seal(mada::detail::kCheckpointMagic, flipped);
    mada::Mada target(two_groups(clones(params_)), MadaOptions::MADA(0.02));
    const OptimizerSnapshot before(target);
    try {
      mada::load_from_bytes(target, bytes.data(), bytes.size());
      ++loaded;
      const OptimizerSnapshot after(target);
      bool finite = true;
      for (double x : {after.q.beta1, after.q.beta2, after.q.beta3, after.q.rho, after.q.c, after.q.gamma})
        finite = finite && std::isfinite(x);
      for (const auto& buffers : after.state)
        for (const auto& b : buffers) finite = finite && (!b.defined() || torch::isfinite(b).all().item<bool>());
      EXPECT_TRUE(finite) << "byte " << i << " loaded a non-finite value";
    } catch (const mada::Error& e) {
      ++refused;
      EXPECT_EQ(e.kind(), ErrorKind::Checkpoint) << "byte " << i << ": " << e.what();
      EXPECT_TRUE(OptimizerSnapshot(target) == before) << "byte " << i;
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(loaded, 0);  // flips in the values themselves: the checks must let finite ones through
  std::cout << refused << " refused, " << loaded << " loaded\n";
}

// Values no update can produce, in a checkpoint that is otherwise valid, are refused by name
// and change nothing.
TEST_F(BadCheckpoint, ImpossibleValuesUnderAValidEnvelopeAreRefused) {
  const double nan = std::nan(""), inf = INFINITY;
  const std::vector<std::pair<std::string, std::string>> cases{
      {with_value(good_, "state_0_m", 5, static_cast<float>(nan)), "parameter 0"},
      {with_value(good_, "state_2_v", 0, -1.0f), "parameter 2"},
      {with_value(good_, "state_1_vbar", 3, -0.5f), "parameter 1"},
      // Finite, but beyond what updates with gradients within range produce: the next step
      // would carry the parameter to Inf (m) or overflow its derivatives (v).
      {with_value(good_, "state_0_m", 1, 1e30f), "parameter 0"},
      {with_value(good_, "state_2_v", 2, 1e38f), "parameter 2"},
      {with_value(good_, "state_1_d", 7, static_cast<float>(inf)), "parameter 1"},
      {with_value(good_, "mada_q", 2, nan), "coefficient"},
      {with_value(good_, "mada_h", 0, inf), "hypergradient"},
      // Finite coefficients outside the bounds every hyper step projects onto (found by the
      // fuzzer: a state of step 0 uses its q unprojected, and gamma = -1e207 made the next
      // step carry the parameters to Inf).
      {with_value(good_, "mada_q", 5, -1.28e207), "gamma = -1.28e+207 is outside its bounds"},
      {with_value(good_, "mada_q", 1, 0.9999), "beta2 = 0.9999 is outside its bounds"},
      {with_value(good_, "mada_grad_norm", 0, -1.0), "gradient norm"},
      {with_value(good_, "mada_step", 0, int64_t{-3}), "step"},
      {with_value(good_, "groups_lr", 1, inf), "lr"},
      {with_value(good_, "groups_prev_lr", 0, nan), "learning rate"},
  };
  for (const auto& [bytes, says] : cases) {
    const OptimizerSnapshot before(*opt_);
    try {
      mada::load_from_bytes(*opt_, bytes.data(), bytes.size());
      ADD_FAILURE() << "accepted; expected an error naming '" << says << "'";
    } catch (const mada::Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Checkpoint) << e.what();
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
    EXPECT_TRUE(OptimizerSnapshot(*opt_) == before) << says;
  }
}

// A file of the earlier format (libtorch archives, magic MADACKP1) is refused, saying so.
TEST_F(BadCheckpoint, TheEarlierFormatIsRefusedByName) {
  const std::string old = mada::kernels::seal(mada::detail::kEarlierCheckpointMagic, "PK\x03\x04 an archive of the earlier format");
  try {
    mada::load_from_bytes(*opt_, old.data(), old.size());
    ADD_FAILURE() << "a MADACKP1 checkpoint loaded";
  } catch (const mada::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Checkpoint);
    EXPECT_NE(std::string(e.what()).find("earlier"), std::string::npos) << e.what();
  }
}

TEST_F(BadCheckpoint, ACheckpointOfOtherShapesIsRefused) {
  QuadraticProblem other({{23, 9}, {8}, {4, 5}}, torch::kFloat, 53);
  auto other_params = other.initial_params();
  mada::Mada other_opt(two_groups(other_params), MadaOptions::MADA(0.02));
  run(other, other_opt, other_params, 1, 2);
  const std::string bytes = mada::save_to_bytes(other_opt);
  expect_refused([&](mada::Mada& o) { mada::load_from_bytes(o, bytes.data(), bytes.size()); },
                 ErrorKind::Checkpoint);

  auto one = clones(params_);
  mada::Mada single({one[0]}, MadaOptions::MADA(0.02));
  one[0].mutable_grad() = torch::ones_like(one[0]);
  single.step();
  const std::string single_bytes = mada::save_to_bytes(single);
  expect_refused([&](mada::Mada& o) { mada::load_from_bytes(o, single_bytes.data(), single_bytes.size()); },
                 ErrorKind::Checkpoint);
}

TEST_F(BadCheckpoint, ACheckpointOfTheOtherModeIsRefused) {
  auto copy = clones(params_);
  mada::Mada reference(two_groups(copy), MadaOptions::MADA(0.02).mode(Mode::Reference));
  const std::string bytes = mada::save_to_bytes(reference);
  expect_refused([&](mada::Mada& o) { mada::load_from_bytes(o, bytes.data(), bytes.size()); },
                 ErrorKind::Checkpoint);
}

TEST_F(BadCheckpoint, MissingAndCorruptFilesAreRefused) {
  expect_refused([&](mada::Mada& o) { mada::load_checkpoint(o, ::testing::TempDir() + "/no/such.pt"); },
                 ErrorKind::Io);
  const std::string path = ::testing::TempDir() + "/mada_corrupt.pt";
  std::ofstream(path, std::ios::binary) << good_.substr(0, 100);
  expect_refused([&](mada::Mada& o) { mada::load_checkpoint(o, path); }, ErrorKind::Checkpoint);
  // A directory is an I/O error naming it (it was "basic_filebuf::underflow", INTERNAL).
  const std::string dir = ::testing::TempDir() + "/mada_a_directory";
  std::filesystem::create_directories(dir);
  try {
    mada::load_checkpoint(*opt_, dir);
    ADD_FAILURE() << "a directory loaded";
  } catch (const mada::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io) << e.what();
    EXPECT_NE(std::string(e.what()).find(dir), std::string::npos) << e.what();
  }
}

TEST_F(BadCheckpoint, AFileHoldsExactlyTheBytesOfTheBuffer) {
  const std::string path = ::testing::TempDir() + "/mada_same_bytes.pt";
  mada::save_checkpoint(*opt_, path);
  std::ifstream in(path, std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(file, good_);
}

TEST_F(BadCheckpoint, SavingIntoAMissingFolderFailsCleanly) {
  try {
    mada::save_checkpoint(*opt_, ::testing::TempDir() + "/no/such/folder/ckpt.pt");
    ADD_FAILURE() << "saving into a missing folder succeeded";
  } catch (const mada::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
  }
}

}  // namespace
