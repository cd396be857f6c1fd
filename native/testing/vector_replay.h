// Replaying a vector file through mada::Mada, one update at a time, and checking each update
// against the file with the required tolerances of its precision.
#pragma once

#include "vector_check.h"
#include "vector_file.h"

#include <mada/optimizer.h>

#include <memory>
#include <string>
#include <vector>

namespace mada::testing {

class VectorReplay {
 public:
  // Parameters start at x0 in dtype (float32, or float64 for `paper` files), one parameter
  // group per tensor with its weight decay.
  explicit VectorReplay(const VectorFile& file, torch::Dtype dtype = torch::kFloat);

  // Computes the gradient of update t (1-based) at the current parameters, runs the update and
  // compares with the file. Returns "" when everything matches, else what does not.
  std::string run_step(int64_t t);

  std::vector<torch::Tensor>& params() { return params_; }
  Mada& optimizer() { return *optimizer_; }

 private:
  const VectorFile& file_;
  torch::Dtype dtype_;
  std::vector<torch::Tensor> params_;
  std::unique_ptr<Mada> optimizer_;
  VectorCheck check_;
};

// The FORMAT.md gradient: g = a * (x - b) + xi_t, elementwise, in x's dtype.
torch::Tensor quadratic_gradient(const VectorTensor& tensor, const std::vector<float>& noise,
                                 const torch::Tensor& x);

}  // namespace mada::testing
