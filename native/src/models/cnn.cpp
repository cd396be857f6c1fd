#include <mada/models/cnn.h>

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

namespace mada {

Cnn::Cnn(const CnnOptions& o) {
  using namespace torch::nn;
  const int64_t w = o.width;
  features_ = Sequential(Conv2d(Conv2dOptions(o.channels, w, 3).padding(1)), ReLU(), MaxPool2d(2),
                         Conv2d(Conv2dOptions(w, 2 * w, 3).padding(1)), ReLU(), MaxPool2d(2),
                         Conv2d(Conv2dOptions(2 * w, 4 * w, 3).padding(1)), ReLU(), MaxPool2d(2));
  const int64_t side = o.image_size / 8;
  classifier_ = Sequential(Flatten(), Linear(4 * w * side * side, 256), ReLU(), Linear(256, o.classes));
  register_module("features", features_);
  register_module("classifier", classifier_);
}

torch::Tensor Cnn::forward(const torch::Tensor& inputs) { return classifier_->forward(features_->forward(inputs)); }

}  // namespace mada
