// What the trainer needs of a model: a torch::nn::Module mapping a batch of inputs to logits.
#pragma once

#include <torch/nn/module.h>

#include <string>

namespace mada {

class Model : public torch::nn::Module {
 public:
  // Logits: [batch, classes] for images, [batch, time, vocab] for text.
  virtual torch::Tensor forward(const torch::Tensor& inputs) = 0;
  // "mlp", "cnn" or "gpt", for messages and checkpoints.
  virtual std::string kind() const = 0;
  int64_t parameter_count() const;
};

}  // namespace mada
