// Data-parallel training on c10d (Gloo, loopback): each test starts mada_dp_worker processes
// as the ranks of a run and compares what they wrote.
//  - Ranks take the same steps, bit for bit (all-reduce hands every rank the same bytes).
//  - N ranks of batch B are one process of batch N*B up to float reduction order.
//  - A checkpoint resumes under another world size.
//  - A rank that dies, hangs or disagrees stops the others with a clear error, never a hang.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Args = std::vector<std::string>;
using Clock = std::chrono::steady_clock;

struct Exit {
  int code = -1;          // exit status, or -1 when killed at the deadline
  double seconds = 0.0;   // from launch to exit
  std::string error;      // what it wrote to stderr
};

struct Output {
  std::vector<std::vector<double>> steps;  // step, loss, grad norm, coefficients...
  std::vector<float> params;
  std::string eval;
  int64_t state_bytes = 0;  // the rank's optimizer state
};

class DataParallel : public ::testing::Test {
 protected:
  void SetUp() override {
    static int count = 0;
    dir_ = fs::path(::testing::TempDir()) / ("mada-dp-" + std::to_string(getpid()) + "-" + std::to_string(++count));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Starts world ranks named `name` (outputs name-r.*) with common args and each rank's
  // own, and waits for all, killing what is left at the deadline (or, with until_rank_0,
  // as soon as rank 0 has exited).
  std::vector<Exit> run(const std::string& name, int world, const Args& common,
                        const std::map<int, Args>& own = {}, double deadline_s = 240, bool until_rank_0 = false) {
    static int stores = 0;
    const std::string store = store_.empty() ? "file:" + path(name + "-store-" + std::to_string(++stores)) : store_;
    std::vector<pid_t> pids;
    const auto start = Clock::now();
    for (int r = 0; r < world; ++r) {
      Args args = {MADA_DP_WORKER, "--out", path(name + "-" + std::to_string(r)), "--folder", dir_.string()};
      if (world > 1) {
        for (const char* a : {"--rank", "--world-size", "--store"}) args.push_back(a);
        args.insert(args.end() - 2, std::to_string(r));
        args.insert(args.end() - 1, std::to_string(world));
        args.push_back(store);
      }
      args.insert(args.end(), common.begin(), common.end());
      if (auto it = own.find(r); it != own.end()) args.insert(args.end(), it->second.begin(), it->second.end());
      pids.push_back(spawn(args, path(name + "-" + std::to_string(r) + ".err")));
    }
    std::vector<Exit> exits(world);
    std::vector<bool> done(world, false);
    while (std::count(done.begin(), done.end(), true) < world) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      for (int r = 0; r < world; ++r) {
        if (done[r]) continue;
        int status = 0;
        if (waitpid(pids[r], &status, WNOHANG) == pids[r]) {
          done[r] = true;
          exits[r].code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
          exits[r].seconds = elapsed;
        } else if (elapsed > deadline_s || (until_rank_0 && done[0])) {
          kill(pids[r], SIGKILL);
          waitpid(pids[r], &status, 0);
          done[r] = true;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (int r = 0; r < world; ++r) exits[r].error = slurp(path(name + "-" + std::to_string(r) + ".err"));
    return exits;
  }

  // As run(), and every rank must succeed.
  void run_ok(const std::string& name, int world, const Args& common, const std::map<int, Args>& own = {}) {
    const auto exits = run(name, world, common, own);
    for (int r = 0; r < world; ++r) ASSERT_EQ(exits[r].code, 0) << name << " rank " << r << ": " << exits[r].error;
  }

  Output output(const std::string& name, int rank) const {
    Output o;
    const std::string base = path(name + "-" + std::to_string(rank));
    std::istringstream steps(slurp(base + ".steps"));
    for (std::string line; std::getline(steps, line);) {
      std::istringstream fields(line);
      std::vector<double> row;
      for (double x; fields >> x;) row.push_back(x);
      o.steps.push_back(row);
    }
    const std::string bytes = slurp(base + ".params");
    o.params.resize(bytes.size() / sizeof(float));
    std::memcpy(o.params.data(), bytes.data(), o.params.size() * sizeof(float));
    o.eval = slurp(base + ".eval");
    std::istringstream(slurp(base + ".state")) >> o.state_bytes;
    return o;
  }

  static std::string slurp(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  static pid_t spawn(const Args& args, const std::string& error_file) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, error_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
    return pid;
  }

  fs::path dir_;
  std::string store_;  // where the ranks meet; empty: a fresh file store per run
};

// A TCP port nobody listens on now (the kernel's pick for port 0).
int free_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof a;
  if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(s, reinterpret_cast<sockaddr*>(&a), &size) != 0)
    throw std::runtime_error("no free port");
  close(s);
  return ntohs(a.sin_port);
}

// Two runs that differ only in float reduction order: the 2-rank gradient is (mean over rows
// 1..B + mean over rows B+1..2B) / 2, the 1-process one the mean over all 2B rows, the same sum
// in another order, about 1e-7 relative apart. Measured over eight steps (MLP and GPT):
// losses, gradient norms and coefficients agree to 1e-8 relative, the median parameter to
// 2e-9; a few parameters whose gradient is near zero (an Adam-family step moves them by up to
// lr in a direction rounding decides) differ by up to 3e-4. A wrong average (a sum: the
// gradient norm doubles) or a wrong shard (other rows: other losses) fails by far.
void expect_equal_up_to_rounding(const Output& a, const Output& b, const std::string& what) {
  ASSERT_EQ(a.steps.size(), b.steps.size()) << what;
  for (size_t s = 0; s < a.steps.size(); ++s) {
    ASSERT_EQ(a.steps[s].size(), b.steps[s].size()) << what;
    EXPECT_EQ(a.steps[s][0], b.steps[s][0]) << what << ": the step count";
    for (size_t k = 1; k < 3; ++k)
      EXPECT_NEAR(a.steps[s][k], b.steps[s][k], 1e-6 * std::abs(b.steps[s][k]))
          << what << ": step " << a.steps[s][0] << (k == 1 ? ", the loss" : ", the gradient norm");
    for (size_t k = 3; k < a.steps[s].size(); ++k)
      EXPECT_NEAR(a.steps[s][k], b.steps[s][k], 1e-8) << what << ": step " << a.steps[s][0] << ", coefficient " << k - 3;
  }
  ASSERT_EQ(a.params.size(), b.params.size()) << what;
  std::vector<double> d(a.params.size());
  for (size_t i = 0; i < d.size(); ++i) d[i] = std::abs(static_cast<double>(a.params[i]) - b.params[i]);
  std::sort(d.begin(), d.end());
  EXPECT_LT(d[d.size() / 2], 1e-7) << what << ": the median parameter difference";
  EXPECT_LT(d.back(), 1e-3) << what << ": the largest parameter difference (lr is 3e-3)";
}

class Models : public DataParallel, public ::testing::WithParamInterface<const char*> {};

TEST_P(Models, TwoRanksTakeTheSameStepsBitForBit) {
  run_ok("pair", 2, {"--model", GetParam(), "--steps", "8"});
  const Output r0 = output("pair", 0), r1 = output("pair", 1);
  ASSERT_EQ(r0.steps.size(), 8u);
  ASSERT_FALSE(r0.params.empty());
  EXPECT_EQ(r0.steps, r1.steps) << "losses, gradient norms and coefficients";
  EXPECT_EQ(0, std::memcmp(r0.params.data(), r1.params.data(), r0.params.size() * sizeof(float)))
      << "the parameters differ between the ranks";
  EXPECT_EQ(r0.eval, r1.eval);
}

TEST_P(Models, TwoRanksOfBatchBAreOneProcessOfBatch2B) {
  run_ok("pair", 2, {"--model", GetParam(), "--steps", "8", "--batch", "16"});
  run_ok("single", 1, {"--model", GetParam(), "--steps", "8", "--batch", "32"});
  expect_equal_up_to_rounding(output("pair", 0), output("single", 0), GetParam());
}

// ZeRO stage 1: each rank updates its half of the state. The ranks still agree bit for bit
// (they sum the same partial sums and gather the same chunks), and the run is the unsharded
// one up to the order of the hypergradient's sums (over chunks instead of whole tensors).
TEST_P(Models, ShardedRanksKeepHalfTheStateAndTakeTheUnshardedSteps) {
  run_ok("sharded", 2, {"--model", GetParam(), "--steps", "8", "--shard", "1"});
  run_ok("whole", 2, {"--model", GetParam(), "--steps", "8"});
  const Output r0 = output("sharded", 0), r1 = output("sharded", 1), whole = output("whole", 0);
  EXPECT_EQ(r0.steps, r1.steps);
  EXPECT_EQ(0, std::memcmp(r0.params.data(), r1.params.data(), r0.params.size() * sizeof(float)))
      << "the parameters differ between the ranks";
  expect_equal_up_to_rounding(r0, whole, std::string(GetParam()) + " sharded against whole");
  // 48 bytes per parameter in all (paper mode, float32), half of it on each rank: the ranks'
  // chunks differ by less than one element each.
  const int64_t per_parameter = 48, parameters = static_cast<int64_t>(whole.params.size());
  EXPECT_EQ(whole.state_bytes, per_parameter * parameters);
  EXPECT_EQ(r0.state_bytes + r1.state_bytes, whole.state_bytes);
  EXPECT_NEAR(static_cast<double>(r0.state_bytes), whole.state_bytes / 2.0, per_parameter);
}

INSTANTIATE_TEST_SUITE_P(DataParallel, Models, ::testing::Values("mlp", "gpt"));

TEST_F(DataParallel, AShardedCheckpointIsWholeAndResumesUnderAnyWorldSize) {
  // The sharded ranks put the whole state in their checkpoint: one process takes it up; and
  // sharded ranks take up one process's checkpoint.
  run_ok("sharded", 2, {"--steps", "8", "--batch", "16", "--shard", "1", "--save-at", "4", "--save", path("sharded.ckpt")});
  run_ok("single", 1, {"--steps", "8", "--batch", "32", "--save-at", "4", "--save", path("single.ckpt")});
  run_ok("single-from-sharded", 1, {"--steps", "8", "--batch", "32", "--load", path("sharded.ckpt")});
  run_ok("sharded-from-single", 2, {"--steps", "8", "--batch", "16", "--shard", "1", "--load", path("single.ckpt")});

  auto from_step_5 = [](Output o) {
    o.steps.erase(o.steps.begin(), o.steps.begin() + 4);
    return o;
  };
  expect_equal_up_to_rounding(output("single-from-sharded", 0), from_step_5(output("sharded", 0)),
                              "one process from the sharded ranks' checkpoint");
  expect_equal_up_to_rounding(output("sharded-from-single", 1), from_step_5(output("single", 0)),
                              "sharded ranks from one process's checkpoint");
}

// The ranks of a run across machines meet at rank 0's TCP store: here both on loopback.
TEST_F(DataParallel, RanksMeetAtATcpStoreToo) {
  store_ = "tcp://127.0.0.1:" + std::to_string(free_port());
  run_ok("tcp", 2, {"--steps", "3"});
  const Output r0 = output("tcp", 0), r1 = output("tcp", 1);
  ASSERT_EQ(r0.steps.size(), 3u);
  EXPECT_EQ(r0.steps, r1.steps);
  EXPECT_EQ(0, std::memcmp(r0.params.data(), r1.params.data(), r0.params.size() * sizeof(float)));
}

TEST_F(DataParallel, ACheckpointResumesUnderAnotherWorldSize) {
  // Two ranks write a checkpoint at step 4 and go on to 8; one process takes it up; and back.
  run_ok("pair", 2, {"--steps", "8", "--batch", "16", "--save-at", "4", "--save", path("pair.ckpt")});
  run_ok("single", 1, {"--steps", "8", "--batch", "32", "--save-at", "4", "--save", path("single.ckpt")});
  run_ok("single-from-pair", 1, {"--steps", "8", "--batch", "32", "--load", path("pair.ckpt")});
  run_ok("pair-from-single", 2, {"--steps", "8", "--batch", "16", "--load", path("single.ckpt")});

  const Output pair = output("pair", 0), single = output("single", 0);
  const Output single_from_pair = output("single-from-pair", 0), pair_from_single = output("pair-from-single", 1);
  ASSERT_EQ(single_from_pair.steps.size(), 4u) << "it resumes at step 5";
  ASSERT_EQ(pair_from_single.steps.size(), 4u) << "it resumes at step 5";
  // Resuming changes nothing but the reduction order from step 5 on.
  auto from_step_5 = [](Output o) {
    o.steps.erase(o.steps.begin(), o.steps.begin() + 4);
    return o;
  };
  expect_equal_up_to_rounding(single_from_pair, from_step_5(pair), "one process from two ranks' checkpoint");
  expect_equal_up_to_rounding(pair_from_single, from_step_5(single), "two ranks from one process's checkpoint");

  // Ranks that read different checkpoints (one path on several machines) are refused before
  // anything changes.
  const auto mixed = run("mixed", 2, {"--steps", "8", "--batch", "16"},
                         {{0, {"--load", path("pair.ckpt")}}, {1, {"--load", path("single.ckpt")}}});
  for (int r = 0; r < 2; ++r) {
    EXPECT_EQ(mixed[r].code, 3) << mixed[r].error;
    EXPECT_NE(mixed[r].error.find("the data-parallel ranks disagree on the checkpoint's model checksum"), std::string::npos)
        << mixed[r].error;
  }
}

TEST_F(DataParallel, AKilledRankStopsTheOthers) {
  const auto exits = run("killed", 2, {"--steps", "30", "--timeout", "60"}, {{1, {"--die-at", "3"}}}, 120);
  EXPECT_EQ(exits[1].code, 9);
  EXPECT_EQ(exits[0].code, 3) << exits[0].error;
  EXPECT_NE(exits[0].error.find("Error(8)"), std::string::npos) << exits[0].error;
  EXPECT_NE(exits[0].error.find("data-parallel rank 0"), std::string::npos) << exits[0].error;
  EXPECT_LT(exits[0].seconds, 60.0) << "a closed connection is noticed at once, before the timeout";
}

TEST_F(DataParallel, AHungRankStopsTheOthersAtTheTimeout) {
  const auto exits = run("hung", 2, {"--steps", "30", "--timeout", "3"}, {{1, {"--hang-at", "3"}}}, 120, true);
  EXPECT_EQ(exits[0].code, 3) << exits[0].error;
  EXPECT_NE(exits[0].error.find("Error(8)"), std::string::npos) << exits[0].error;
  // libtorch's own message, without its C++ backtrace (13 "frame #" lines, 2,600 characters).
  EXPECT_EQ(exits[0].error.find("frame #"), std::string::npos) << exits[0].error;
  EXPECT_LT(exits[0].seconds, 60.0);
  EXPECT_EQ(exits[1].code, -1) << "the hung rank was still waiting, and was killed";
}

// A rank whose peers never come stops at the timeout, naming the store; the message carries
// libtorch's text without its C++ backtrace (13 "frame #" lines, 2,600 characters, before).
TEST_F(DataParallel, ARankWhosePeersNeverJoinStopsAtTheTimeoutWithoutABacktrace) {
  const Args args = {MADA_DP_WORKER, "--out", path("lonely-0"), "--folder", dir_.string(), "--rank", "0",
                     "--world-size", "2", "--store", "file:" + path("lonely-store"), "--steps", "3", "--timeout", "3"};
  const pid_t pid = spawn(args, path("lonely-0.err"));
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  const std::string error = slurp(path("lonely-0.err"));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3) << error;
  EXPECT_NE(error.find("failed to join the run at file:"), std::string::npos) << error;
  EXPECT_EQ(error.find("frame #"), std::string::npos) << error;
  EXPECT_EQ(error.find("Exception raised from"), std::string::npos) << error;
}

TEST_F(DataParallel, RanksGivenOtherOptionsOrModelsAreRefusedBeforeTraining) {
  const auto batch = run("batch", 2, {"--steps", "5"}, {{1, {"--batch", "16"}}});
  const auto model = run("model", 2, {"--steps", "5"}, {{1, {"--model", "gpt"}}});
  const auto shape = run("shape", 2, {"--steps", "5", "--model", "gpt"}, {{1, {"--width", "48"}}});
  for (int r = 0; r < 2; ++r) {
    EXPECT_EQ(batch[r].code, 3) << batch[r].error;
    EXPECT_NE(batch[r].error.find("before training the data-parallel ranks disagree on batch_size: from 16 to 32"),
              std::string::npos)
        << batch[r].error;
    EXPECT_EQ(model[r].code, 3) << model[r].error;
    EXPECT_NE(model[r].error.find("before training the data-parallel ranks disagree on the training set's size"),
              std::string::npos)
        << model[r].error;
    EXPECT_EQ(shape[r].code, 3) << shape[r].error;
    EXPECT_NE(shape[r].error.find("before training the data-parallel ranks disagree on the size of model tensor"),
              std::string::npos)
        << shape[r].error;
  }
}

// Ranks that drift apart while training (here a weight of rank 1's moved before step 3, as a
// silent fault would) are stopped at the next check, naming what differs.
TEST_F(DataParallel, RanksThatDriftApartAreStopped) {
  const auto exits = run("drift", 2, {"--steps", "6"}, {{1, {"--nudge-at", "3"}}});
  for (int r = 0; r < 2; ++r) {
    EXPECT_EQ(exits[r].code, 3) << exits[r].error;
    EXPECT_NE(exits[r].error.find("at step 3 the data-parallel ranks disagree on the parameter checksum"),
              std::string::npos)
        << exits[r].error;
  }
}

TEST_F(DataParallel, BadDistributedOptionsAreRefusedBeforeAnyCommunication) {
  const auto exits = run("bad", 1, {"--rank", "2", "--world-size", "2", "--store", "file:" + path("s")});
  EXPECT_EQ(exits[0].code, 3);
  EXPECT_NE(exits[0].error.find("rank must lie in [0, world_size)"), std::string::npos) << exits[0].error;
  const auto no_store = run("nostore", 1, {"--rank", "0", "--world-size", "2", "--store", "http://x"});
  EXPECT_NE(no_store[0].error.find("neither file:PATH nor tcp://HOST:PORT"), std::string::npos) << no_store[0].error;
}

}  // namespace
