// What the C ABI's opaque handles hold.
#pragma once

#include <mada/data/dataset.h>
#include <mada/mada.h>
#include <mada/models/model.h>
#include <mada/optimizer.h>
#include <mada/training/trainer.h>

#include "kernels/src/c_api/options_c.h"

#include <memory>

struct mada_tensor {
  torch::Tensor tensor;  // float32, CPU, contiguous; shares storage with the optimizer's copy
};

struct mada_optimizer {
  std::unique_ptr<mada::Mada> optimizer;
};

struct mada_dataset {
  std::shared_ptr<const mada::Dataset> dataset;
};

struct mada_model {
  std::shared_ptr<mada::Model> model;  // shared with the trainers built on it
};

struct mada_trainer {
  std::unique_ptr<mada::Trainer> trainer;
};

namespace mada::c_api {
// Converts and validates (mada::Error on a bad field).
inline MadaOptions to_options(const mada_options& o) { return MadaOptions(from_c(o)); }
}  // namespace mada::c_api
