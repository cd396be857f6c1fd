// Checkpoints survive a process killed while it writes them: a writer process saves in a loop
// and is killed with SIGKILL at random moments, again and again; each time the file at the
// path must load (the previous checkpoint or the new one, complete), never a torn file.
//
// The writer is this test binary run again with MADA_CRASH_WRITER=<path>, so it needs no
// program of its own.
#include <mada/optimizer.h>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <thread>
#include <vector>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

// Large enough (13 buffers of 64K floats, about 3 MB a checkpoint) that writing one takes a
// few milliseconds.
std::vector<torch::Tensor> crash_params() {
  torch::manual_seed(9);
  return {torch::randn({256, 256})};
}

// The writer's temporary files beside the checkpoint: a save is in progress (or was, when the
// writer was killed in it).
std::vector<std::filesystem::path> temporary_files(const std::string& dir) {
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().filename().string().rfind("mada_crash.ckpt.tmp.", 0) == 0) found.push_back(entry.path());
  return found;
}

// The writer: step and save until killed.
TEST(CheckpointCrash, Writer) {
  const char* path = std::getenv("MADA_CRASH_WRITER");
  if (path == nullptr) GTEST_SKIP() << "run by CheckpointCrash.AKilledWriterNeverLeavesATornFile";
  auto params = crash_params();
  mada::Mada opt(params, mada::MadaOptions::MADA(1e-3));
  for (int64_t t = 1;; ++t) {
    params[0].mutable_grad() = params[0].detach() * 0.01 + 0.001 * static_cast<double>(t % 7);
    opt.step();
    mada::save_checkpoint(opt, path);
  }
}

pid_t spawn_writer(const std::string& path) {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string env = "MADA_CRASH_WRITER=" + path;
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  envp.push_back(const_cast<char*>(env.c_str()));
  envp.push_back(nullptr);
  char filter[] = "--gtest_filter=CheckpointCrash.Writer";
  char* argv[] = {const_cast<char*>(self.c_str()), filter, nullptr};
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv, envp.data()), 0);
  return pid;
}

TEST(CheckpointCrash, AKilledWriterNeverLeavesATornFile) {
  const std::string path = ::testing::TempDir() + "/mada_crash.ckpt";
  std::filesystem::remove(path);
  std::mt19937 random(2026);
  constexpr int kRounds = 12;
  int killed_while_writing = 0;
  for (int round = 0; round < kRounds; ++round) {
    const pid_t writer = spawn_writer(path);
    ASSERT_GT(writer, 0);
    // Wait for its first checkpoint (the one of the previous round is there from round 2 on).
    const auto first_write = std::filesystem::exists(path) ? std::filesystem::last_write_time(path)
                                                           : std::filesystem::file_time_type::min();
    for (int i = 0; i < 3000 && (!std::filesystem::exists(path) ||
                                 std::filesystem::last_write_time(path) == first_write); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    // Half the kills at a random moment of the loop, half a few milliseconds after a save
    // has opened its temporary file, so that many land inside a write.
    if (round % 2 == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 400)(random)));
    } else {
      for (int i = 0; i < 20000 && temporary_files(::testing::TempDir()).empty(); ++i)
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(random)));
    }
    ASSERT_EQ(::kill(writer, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(writer, &status, 0), writer);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer ended on its own (status " << status << ")";
    // A temporary file left beside the checkpoint means the kill landed inside a save.
    for (const auto& file : temporary_files(::testing::TempDir())) {
      ++killed_while_writing;
      std::filesystem::remove(file);
    }
    auto params = crash_params();
    mada::Mada fresh(params, mada::MadaOptions::MADA(1e-3));
    ASSERT_NO_THROW(mada::load_checkpoint(fresh, path)) << "round " << round;
    EXPECT_GE(fresh.step_count(), 1);
  }
  // The test is only worth something if some kills landed mid-save.
  EXPECT_GT(killed_while_writing, 0);
  std::cout << killed_while_writing << " of " << kRounds << " kills landed inside a save\n";
}

}  // namespace
