// Every shared vector file (tests/vectors and each MADA_EXTRA_VECTORS directory), update by
// update, to FORMAT.md's tolerances. A file that cannot be read or parsed fails.
#include "../testing/vector_replay.h"
#include "vectors_test_files.h"

#include <gtest/gtest.h>

#include <fstream>

using mada::testing::read_vector_file;
using mada::testing::VectorReplay;

namespace {

class VectorFileTest : public ::testing::TestWithParam<std::string> {};

// Replays the file in dtype and fails with the first mismatches.
void expect_replay_matches(const mada::testing::VectorFile& file, torch::Dtype dtype) {
  VectorReplay replay(file, dtype);
  std::vector<std::string> problems;
  for (const auto& step : file.steps) {
    const std::string problem = replay.run_step(step.t);
    if (!problem.empty()) problems.push_back(problem);
  }
  std::string report;
  for (size_t i = 0; i < problems.size() && i < 5; ++i) report += "\n  " + problems[i];
  EXPECT_TRUE(problems.empty()) << file.name << " (" << (file.mode == mada::Mode::Paper ? "paper" : "reference")
                                << "): " << problems.size() << " of " << file.steps.size()
                                << " updates differ" << report;
}

TEST_P(VectorFileTest, EveryUpdateMatchesTheFileInFloat32) {
  ASSERT_FALSE(mada::testing::is_unlistable(GetParam())) << "cannot list " << GetParam();
  expect_replay_matches(read_vector_file(GetParam()), torch::kFloat);  // throws (fails) on a malformed file
}

TEST_P(VectorFileTest, EveryUpdateMatchesAPaperFileInFloat64) {
  ASSERT_FALSE(mada::testing::is_unlistable(GetParam())) << "cannot list " << GetParam();
  const auto file = read_vector_file(GetParam());
  if (file.mode != mada::Mode::Paper) GTEST_SKIP() << "reference files hold float32 numbers";
  expect_replay_matches(file, torch::kDouble);
}

INSTANTIATE_TEST_SUITE_P(Files, VectorFileTest, ::testing::ValuesIn(mada::testing::all_vector_files()),
                         mada::testing::vector_test_name);

TEST(VectorFiles, TheSharedFilesOfBothModesArePresent) {
  const auto files = mada::testing::vector_files_in(MADA_VECTOR_DIR);
  ASSERT_GE(files.size(), 5u);
  int paper = 0, reference = 0;
  for (const auto& f : files) (read_vector_file(f).mode == mada::Mode::Paper ? paper : reference)++;
  EXPECT_GE(paper, 2);
  EXPECT_GE(reference, 3);
}

TEST(VectorFiles, AMalformedFileIsAnError) {
  const std::string path = ::testing::TempDir() + "/malformed_vector.json";
  std::ofstream(path) << R"({"format":"mada-vectors/1","name":"x","mode":"paper"})";
  EXPECT_THROW(read_vector_file(path), std::runtime_error);
  EXPECT_THROW(read_vector_file(path + ".missing"), std::runtime_error);
}

}  // namespace
