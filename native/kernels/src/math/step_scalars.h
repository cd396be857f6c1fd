// The per-step scalars of the element update, computed once on the host in double.
#pragma once

#include "element_update.h"

#include <mada/step_options.h>

#include <cstdint>

namespace mada::kernels {

// The scalars of update t with coefficients q, before the per-group lr and decay are set.
StepScalars<double> step_scalars(const Coefficients& q, const StepOptions& o, int64_t t);

}  // namespace mada::kernels
