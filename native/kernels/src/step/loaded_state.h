// What a state read from a checkpoint must hold before an update may use it: what updates can
// produce. A checkpoint can be damaged under a valid CRC or written by hand, and nothing
// non-finite is ever stored, so the engine and libmada's optimizer both check it here.
#pragma once

#include "hyper_state.h"
#include "tensor_slot.h"

#include <string>

namespace mada::kernels {

// Counts >= 0; coefficients, hypergradient, gradient norm (>= 0) and previous learning rates
// (>= 0) finite. Checkpoint error naming what is wrong otherwise.
void check_loaded_hyper(const HyperState& hyper);

// Every state buffer of slot finite, and v, vbar >= 0 (vhat's square root is taken). The
// buffers may be unaligned (they can point into the checkpoint bytes). Checkpoint error naming
// `name` and the buffer otherwise.
void check_loaded_state(const TensorSlot& slot, const std::string& name);

}  // namespace mada::kernels
