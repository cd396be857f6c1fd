// The built-in models by kind, shaped for a dataset: the one place that turns a model's kind and
// its few sizes into a model (the C ABI, the CLI and the tests all come through here).
#pragma once

#include <mada/data/dataset.h>
#include <mada/models/model.h>

#include <cstdint>
#include <memory>

namespace mada {

// Values are the C ABI's mada_model_kind.
enum class ModelKind : int {
  Mlp = 0,  // images: two hidden layers of `width` and `width` / 2
  Cnn = 1,  // images: the 5-layer CNN, first convolution `width` channels
  Gpt = 2,  // text: nanoGPT-style, `layers` x `heads`, embedding `width`
};

// A size of 0 takes the model's own default (MlpOptions, CnnOptions, GptOptions::Small).
struct ModelSpec {
  ModelKind kind = ModelKind::Cnn;
  int64_t width = 0;
  int64_t layers = 0;  // GPT only
  int64_t heads = 0;   // GPT only
  uint64_t seed = 0;   // the initial weights depend on this alone
};

// A model of `spec` for `data` (its classes or vocabulary, and its context). The weights are
// drawn from `spec.seed`; the process's global generator is left as it was. Throws
// mada::Error(InvalidArgument) for a kind that cannot take this data or a negative size.
std::shared_ptr<Model> make_model(const ModelSpec& spec, const Dataset& data);

}  // namespace mada
