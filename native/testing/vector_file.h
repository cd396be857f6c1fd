// Reading the shared MADA test vectors (format `mada-vectors/1`, tests/vectors/FORMAT.md) and
// finding every vector file the tests must run.
#pragma once

#include <mada/coefficients.h>
#include <mada/options.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mada::testing {

struct VectorTensor {
  std::string name;
  std::vector<int64_t> shape;
  double weight_decay = 0.0;
  std::vector<float> x0, a, b;
};

struct VectorStep {
  int64_t t = 0;
  double lr = 0.0;
  double loss = 0.0;
  double grad_norm = 0.0;
  Coefficients hypergrad;
  Coefficients q;
  std::vector<std::vector<double>> x;  // per tensor, after the update
};

struct VectorFile {
  std::string path;
  std::string name;
  Mode mode = Mode::Paper;
  std::vector<VectorTensor> tensors;
  std::vector<std::vector<std::vector<float>>> noise;  // [step][tensor][element]
  MadaOptions options;                                  // lr = the first step's
  std::vector<VectorStep> steps;
};

// Throws std::runtime_error naming the file and what is wrong with it.
VectorFile read_vector_file(const std::string& path);

// Every *.json in `dir` (sorted). Throws if dir cannot be listed.
std::vector<std::string> vector_files_in(const std::string& dir);

// The project's tests/vectors plus each directory of MADA_EXTRA_VECTORS (colon-separated).
std::vector<std::string> vector_directories(const std::string& builtin_dir);

}  // namespace mada::testing
