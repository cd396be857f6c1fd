// Every shared vector file (tests/vectors and each MADA_EXTRA_VECTORS directory), update by
// update, to FORMAT.md's tolerances. A file that cannot be read or parsed fails.
#include "../testing/vector_replay.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>

using mada::testing::read_vector_file;
using mada::testing::VectorReplay;

namespace {

// A directory that cannot be listed becomes an entry that fails, never a silent skip.
const std::string kUnlistable = "unlistable-directory:";

std::vector<std::string> all_vector_files() {
  std::vector<std::string> files;
  for (const auto& dir : mada::testing::vector_directories(MADA_VECTOR_DIR)) {
    try {
      for (auto& f : mada::testing::vector_files_in(dir)) files.push_back(std::move(f));
    } catch (const std::exception&) {
      files.push_back(kUnlistable + dir);
    }
  }
  return files;
}

class VectorFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(VectorFileTest, EveryUpdateMatchesTheFile) {
  ASSERT_NE(GetParam().rfind(kUnlistable, 0), 0u) << "cannot list " << GetParam();
  const auto file = read_vector_file(GetParam());  // throws (fails) on a malformed file
  VectorReplay replay(file);
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

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::to_string(info.index) + "_";
  const auto slash = info.param.find_last_of('/');
  for (char c : info.param.substr(slash == std::string::npos ? 0 : slash + 1))
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, VectorFileTest, ::testing::ValuesIn(all_vector_files()), test_name);

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
