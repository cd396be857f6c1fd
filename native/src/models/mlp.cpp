#include <mada/models/mlp.h>

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/linear.h>

namespace mada {

Mlp::Mlp(const MlpOptions& options) {
  int64_t in = options.inputs;
  for (int64_t width : options.hidden) {
    layers_->push_back(torch::nn::Linear(in, width));
    layers_->push_back(torch::nn::ReLU());
    in = width;
  }
  layers_->push_back(torch::nn::Linear(in, options.classes));
  register_module("layers", layers_);
}

torch::Tensor Mlp::forward(const torch::Tensor& inputs) { return layers_->forward(inputs.flatten(1)); }

}  // namespace mada
