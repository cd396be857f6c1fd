// What a state read from a checkpoint must hold before an update may use it: what updates can
// produce. A checkpoint can be damaged under a valid CRC or written by hand, and nothing
// non-finite is ever stored, so the engine and libmada's optimizer both check it here.
#pragma once

#include "hyper_state.h"
#include "tensor_slot.h"

#include <mada/step_options.h>

#include <string>

namespace mada::kernels {

// Counts >= 0; coefficients within the options' bounds (every hyper step projects onto them,
// and a state of step 0 uses its q unprojected); hypergradient finite; gradient norm and
// previous learning rates finite and >= 0. Checkpoint error naming what is wrong otherwise.
// A coefficient the options do not learn must equal `held`, the loading optimizer's own: a
// load never moves a fixed point (a Lion's gamma = 0 stays 0 whatever state it is given).
void check_loaded_hyper(const HyperState& hyper, const StepOptions& options, const Coefficients& held);

// Every state buffer of slot finite and within what updates with gradients inside
// gradient_limit (range_limits.h) can produce, the bounds the next step's range check relies on:
// |m|, |mL|, |gprev| <= limit; |n| <= 2 limit (reference mode: limit^2, its first n = g^2);
// 0 <= v, vbar <= 18 limit^2 (v stays below 2 ghat^2, |ghat| < 3 limit). A finite but larger
// value would let the next step store Inf. The buffers may be unaligned (they can point into the
// checkpoint bytes). Checkpoint error naming `name` and the buffer otherwise.
void check_loaded_state(const TensorSlot& slot, Mode mode, const std::string& name);

}  // namespace mada::kernels
