// The vector files a parameterized test runs: tests/vectors plus each MADA_EXTRA_VECTORS
// directory, read when the test binary lists its tests (ctest lists them at test time).
#pragma once

#include "../testing/vector_file.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

namespace mada::testing {

// A directory that cannot be listed becomes an entry that fails, never a silent skip.
inline const std::string kUnlistable = "unlistable-directory:";

inline bool is_unlistable(const std::string& entry) { return entry.rfind(kUnlistable, 0) == 0; }

inline std::vector<std::string> all_vector_files() {
  std::vector<std::string> files;
  for (const auto& dir : vector_directories(MADA_VECTOR_DIR)) {
    try {
      for (auto& f : vector_files_in(dir)) files.push_back(std::move(f));
    } catch (const std::exception&) {
      files.push_back(kUnlistable + dir);
    }
  }
  return files;
}

inline std::string vector_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::to_string(info.index) + "_";
  const auto slash = info.param.find_last_of('/');
  for (char c : info.param.substr(slash == std::string::npos ? 0 : slash + 1))
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

}  // namespace mada::testing
