// A multilayer perceptron for flattened images: Linear-ReLU blocks, then a Linear head.
#pragma once

#include <mada/models/model.h>

#include <torch/nn/modules/container/sequential.h>

#include <vector>

namespace mada {

struct MlpOptions {
  int64_t inputs = 28 * 28;
  std::vector<int64_t> hidden = {256, 128};
  int64_t classes = 10;
};

class Mlp : public Model {
 public:
  explicit Mlp(const MlpOptions& options);
  torch::Tensor forward(const torch::Tensor& inputs) override;
  std::string kind() const override { return "mlp"; }

 private:
  torch::nn::Sequential layers_;
};

}  // namespace mada
