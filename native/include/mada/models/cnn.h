// The 5-layer CNN for 28x28 single-channel images (3 convolutions, 2 fully connected):
// conv 32 - pool - conv 64 - pool - conv 128 - pool - fc 256 - fc classes.
#pragma once

#include <mada/models/model.h>

#include <torch/nn/modules/container/sequential.h>

namespace mada {

struct CnnOptions {
  int64_t channels = 1;
  int64_t image_size = 28;
  int64_t classes = 10;
  int64_t width = 32;  // channels of the first convolution; doubled by each later one
};

class Cnn : public Model {
 public:
  explicit Cnn(const CnnOptions& options);
  torch::Tensor forward(const torch::Tensor& inputs) override;
  std::string kind() const override { return "cnn"; }

 private:
  torch::nn::Sequential features_, classifier_;
};

}  // namespace mada
