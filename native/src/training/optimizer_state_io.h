// The state of any optimizer the trainer makes (make_optimizer) through a tensor store, for its
// checkpoints: MADA's own layout for the MADA family, and each parameter's buffers for
// libtorch's AdamW (amsgrad) and SGD (momentum).
#pragma once

#include <mada/training/optimizer_kind.h>

#include "../io/tensor_store.h"

namespace mada::detail {

void save_optimizer_state(const torch::optim::Optimizer& optimizer, OptimizerKind kind, TensorWriter& out);

// Into a fresh optimizer of that kind: everything is read and checked (shapes, dtypes, values
// finite; mada::Error(Checkpoint) otherwise) before any state is set.
void load_optimizer_state(torch::optim::Optimizer& optimizer, OptimizerKind kind, TensorReader& in);

}  // namespace mada::detail
