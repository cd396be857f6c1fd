// What the C ABI's opaque handles hold.
#pragma once

#include <mada/mada.h>
#include <mada/optimizer.h>

#include <memory>

struct mada_tensor {
  torch::Tensor tensor;  // float32, CPU, contiguous; shares storage with the optimizer's copy
};

struct mada_optimizer {
  std::unique_ptr<mada::Mada> optimizer;
};

namespace mada::c_api {
// Converts and validates (mada::Error on a bad field).
MadaOptions to_options(const mada_options& o);
mada_coefficients to_c_coefficients(const Coefficients& c);
}
