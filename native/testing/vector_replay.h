// Replaying a vector file through mada::Mada, one update at a time, and checking each update
// against the file with the tolerances of FORMAT.md.
#pragma once

#include "vector_file.h"

#include <mada/optimizer.h>

#include <memory>
#include <string>
#include <vector>

namespace mada::testing {

class VectorReplay {
 public:
  // Parameters start at x0 (float32), one parameter group per tensor with its weight decay.
  explicit VectorReplay(const VectorFile& file);

  // Computes the gradient of update t (1-based) at the current parameters, runs the update and
  // compares with the file. Returns "" when everything matches, else what does not.
  std::string run_step(int64_t t);

  std::vector<torch::Tensor>& params() { return params_; }
  Mada& optimizer() { return *optimizer_; }

 private:
  const VectorFile& file_;
  std::vector<torch::Tensor> params_;
  std::unique_ptr<Mada> optimizer_;
  Coefficients h_scale_;  // largest |h_k| in the file, per coefficient
};

// The FORMAT.md gradient: g = a * (x - b) + xi_t, elementwise, in float32.
torch::Tensor quadratic_gradient(const VectorTensor& tensor, const std::vector<float>& noise,
                                 const torch::Tensor& x);

}  // namespace mada::testing
